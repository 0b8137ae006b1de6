import type { ProfileWriteTransform } from './profile-write-transform.js';

/** The transform each table's writes go through, imports included; they follow the table when it is renamed or removed. */
export class ProfileWriteTransforms {
  private readonly transforms = new Map<string, ProfileWriteTransform>();

  /** Sets (or, with undefined, removes) the transform of a table. */
  set(table: string, transform: ProfileWriteTransform | undefined): void {
    if (transform === undefined) this.transforms.delete(table);
    else this.transforms.set(table, transform);
  }

  /** The values a write stores: `values` through the table's transform, if it has one. */
  apply(table: string, values: Readonly<Record<string, unknown>>, before: Readonly<Record<string, unknown>> | undefined): Readonly<Record<string, unknown>> {
    const transform = this.transforms.get(table);
    return transform === undefined ? values : transform(values, before);
  }

  renamed(from: string, to: string): void {
    const transform = this.transforms.get(from);
    this.transforms.delete(from);
    if (transform !== undefined) this.transforms.set(to, transform);
  }

  removed(table: string): void {
    this.transforms.delete(table);
  }
}
