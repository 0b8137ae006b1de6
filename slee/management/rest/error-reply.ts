import { ZodError } from 'zod';
import { SleetError } from '../../errors/sleet-error.js';
import { ErrorCode } from '../../errors/error-codes.js';

export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

const STATUS: Readonly<Record<string, number>> = {
  [ErrorCode.MANAGEMENT_INVALID_INPUT]: 400,
  [ErrorCode.INVALID_COMPONENT]: 400,
  [ErrorCode.AMBIGUOUS_COMPONENT]: 400,
  [ErrorCode.UNKNOWN_EVENT_TYPE]: 400,
  [ErrorCode.PROFILE_VALIDATION]: 400,
  [ErrorCode.PROFILE_IMPORT]: 400,
  [ErrorCode.PROFILE_QUERY_INVALID]: 400,
  [ErrorCode.PROFILE_SPEC_INVALID]: 400,
  [ErrorCode.BUNDLE_INVALID]: 400,
  [ErrorCode.BUNDLE_LOAD_FAILED]: 400,
  [ErrorCode.BUNDLE_PERMISSION]: 400,
  [ErrorCode.BUNDLE_DEPENDENCY_MISSING]: 409,
  [ErrorCode.BUNDLE_VERSION_CONFLICT]: 409,
  [ErrorCode.BUNDLE_IN_USE]: 409,
  [ErrorCode.UNKNOWN_UNIT]: 404,
  [ErrorCode.MANAGEMENT_UNAUTHORIZED]: 401,
  [ErrorCode.UNKNOWN_COMPONENT]: 404,
  [ErrorCode.NO_SUCH_ENTITY]: 404,
  [ErrorCode.UNRECOGNIZED_ACTIVITY]: 404,
  [ErrorCode.UNKNOWN_ALARM]: 404,
  [ErrorCode.UNKNOWN_USAGE_PARAMETER]: 404,
  [ErrorCode.UNKNOWN_TIMER]: 404,
  [ErrorCode.NAME_NOT_BOUND]: 404,
  [ErrorCode.PROFILE_NOT_FOUND]: 404,
  [ErrorCode.PROFILE_TABLE_NOT_FOUND]: 404,
  [ErrorCode.INVALID_STATE]: 409,
  [ErrorCode.ACTIVITY_ENDING]: 409,
  [ErrorCode.DUPLICATE_COMPONENT]: 409,
  [ErrorCode.NAME_ALREADY_BOUND]: 409,
  [ErrorCode.PROFILE_EXISTS]: 409,
  [ErrorCode.PROFILE_TABLE_EXISTS]: 409,
  [ErrorCode.PROFILE_UNIQUE_VIOLATION]: 409,
  [ErrorCode.PROFILE_READ_ONLY]: 409,
  [ErrorCode.MANAGEMENT_UNAVAILABLE]: 503,
};

/** The HTTP status of a SleetError code: unknown things 404, wrong state 409, bad input 400. */
export function statusOf(code: string): number {
  return STATUS[code] ?? 500;
}

/** Validation failures name the part of the request and the field, with what is wrong with it. */
export function invalidInput(location: 'params' | 'query' | 'body', error: ZodError): SleetError {
  const details = error.issues.map((i) => ({ location, field: i.path.map(String).join('.'), message: i.message }));
  const summary = details.map((d) => `${d.location}${d.field ? `.${d.field}` : ''}: ${d.message}`).join('; ');
  return new SleetError(ErrorCode.MANAGEMENT_INVALID_INPUT, `invalid input: ${summary}`, { details });
}

export function errorReply(err: unknown): { status: number; body: ErrorBody } {
  if (SleetError.is(err)) {
    return { status: statusOf(err.code), body: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } };
  }
  // Fastify's own client errors (malformed JSON, wrong content type, too large) carry a 4xx statusCode.
  const status = (err as { statusCode?: number }).statusCode;
  const message = err instanceof Error ? err.message : String(err);
  if (status !== undefined && status >= 400 && status < 500) {
    return { status, body: { code: ErrorCode.MANAGEMENT_INVALID_INPUT, message } };
  }
  return { status: 500, body: { code: ErrorCode.MANAGEMENT_INTERNAL, message } };
}
