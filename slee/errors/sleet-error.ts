const SLEET_ERROR = Symbol.for('sleet:error');

/**
 * Every error Sleet raises carries a stable `code` from the catalogue
 * (`SLEET_ERR_*`). Check with `SleetError.is(err, code?)` rather than
 * `instanceof`, which breaks across worker threads and duplicate copies.
 */
export class SleetError extends Error {
  readonly [SLEET_ERROR] = true;
  readonly code: string;
  readonly details?: unknown;

  constructor(code: string, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SleetError';
    this.code = code;
    if (options?.details !== undefined) this.details = options.details;
  }

  static is(value: unknown, code?: string): value is SleetError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { [SLEET_ERROR]?: boolean })[SLEET_ERROR] === true &&
      (code === undefined || (value as SleetError).code === code)
    );
  }
}
