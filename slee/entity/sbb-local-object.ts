/** A reference to an SBB entity, through which a parent manages a child and calls its methods. */
export interface SbbLocalObject {
  readonly entityId: string;
  readonly priority: number;
  setPriority(priority: number): void;
  /** Removes the entity and its descendants (transactional). */
  remove(): void;
  isIdentical(other: SbbLocalObject): boolean;
  readonly removed: boolean;
}

/** A local object that also exposes the child SBB's own business methods. */
export type SbbLocal<T> = SbbLocalObject & {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K];
};
