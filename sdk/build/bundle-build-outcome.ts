import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode, type SleetErrorCode } from '../../base/errors/error-codes.js';

/** One build for the worker thread: a project and the directory to build it into. */
export interface BundleBuildJob {
  readonly projectDir: string;
  readonly outDir: string;
}

/** What a bundle build's worker thread posts back: an error crosses the thread as its code, message and details. */
export type BundleBuildOutcome =
  { readonly ok: true } | { readonly ok: false; readonly code?: SleetErrorCode; readonly message: string; readonly details?: unknown };

export function failedOutcome(err: unknown): BundleBuildOutcome {
  if (SleetError.is(err)) return { ok: false, code: err.code, message: err.message, details: err.details };
  return { ok: false, message: err instanceof Error ? err.message : String(err) };
}

/** The error the worker's build threw, as the caller's own `SleetError`; an error without a code is a build failure. */
export function outcomeError(outcome: Extract<BundleBuildOutcome, { ok: false }>): SleetError {
  return new SleetError(outcome.code ?? ErrorCode.SDK_BUILD, outcome.message, outcome.details === undefined ? undefined : { details: outcome.details });
}
