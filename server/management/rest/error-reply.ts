import { ZodError } from 'zod';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode, httpStatusOf } from '../../../base/errors/error-codes.js';

export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** Validation failures name the part of the request and the field, with what is wrong with it. */
export function invalidInput(location: 'params' | 'query' | 'body', error: ZodError): SleetError {
  const details = error.issues.map((i) => ({ location, field: i.path.map(String).join('.'), message: i.message }));
  const summary = details.map((d) => `${d.location}${d.field ? `.${d.field}` : ''}: ${d.message}`).join('; ');
  return new SleetError(ErrorCode.MANAGEMENT_INVALID_INPUT, `invalid input: ${summary}`, { details });
}

export function errorReply(err: unknown): { status: number; body: ErrorBody } {
  if (SleetError.is(err)) {
    return { status: httpStatusOf(err.code), body: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } };
  }
  // Fastify's own client errors (malformed JSON, wrong content type, too large) carry a 4xx statusCode.
  const status = (err as { statusCode?: number }).statusCode;
  const message = err instanceof Error ? err.message : String(err);
  if (status !== undefined && status >= 400 && status < 500) {
    return { status, body: { code: ErrorCode.MANAGEMENT_INVALID_INPUT, message } };
  }
  return { status: 500, body: { code: ErrorCode.MANAGEMENT_INTERNAL, message } };
}
