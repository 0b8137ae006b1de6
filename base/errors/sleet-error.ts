import type { SleetErrorCode } from './error-codes.js';

const SLEET_ERROR = Symbol.for('sleet:error');

/**
 * Every error Sleet raises carries a stable `code` from the catalogue
 * (`SLEET_ERR_*`). Check with `SleetError.is(err, code?)` rather than
 * `instanceof`, which breaks across worker threads and duplicate copies.
 */
export class SleetError extends Error {
  readonly [SLEET_ERROR] = true;
  readonly code: SleetErrorCode;
  readonly details?: unknown;

  constructor(code: SleetErrorCode, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SleetError';
    this.code = code;
    if (options?.details !== undefined) this.details = options.details;
  }

  static is(value: unknown, code?: SleetErrorCode): value is SleetError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { [SLEET_ERROR]?: boolean })[SLEET_ERROR] === true &&
      (code === undefined || (value as SleetError).code === code)
    );
  }
}
