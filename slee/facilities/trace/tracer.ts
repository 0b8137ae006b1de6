/** A named tracer of a notification source (an SBB in a service, a resource-adaptor entity, a subsystem). */
export abstract class Tracer {
  abstract get name(): string;
  abstract isEnabled(level: import('./trace-level.js').TraceLevelName): boolean;
  abstract severe(message: string, cause?: unknown): void;
  abstract warning(message: string, cause?: unknown): void;
  abstract info(message: string, cause?: unknown): void;
  abstract config(message: string): void;
  abstract fine(message: string): void;
  abstract finer(message: string): void;
  abstract finest(message: string): void;
  /** A tracer whose name extends this one's: `tracer.child('auth')` is `<name>.auth`. */
  abstract child(name: string): Tracer;
}
