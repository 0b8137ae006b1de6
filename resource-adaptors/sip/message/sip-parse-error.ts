import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { SipRequest } from './sip-request.js';
import type { SipResponse } from './sip-response.js';

/** A SleetError (code SIP_PARSE) that also tells the server what to answer. */
export class SipParseError extends SleetError {
  /** The response a server should send: 400, 505... */
  readonly status: number;
  /** Reason phrase naming the fault, e.g. 'Bad Request - malformed Via header'. */
  readonly reason: string;
  /** What could be recovered (start line and raw headers) to build the error response, if anything. */
  readonly partial?: SipRequest | SipResponse;
  /** Malformed responses are dropped, never answered (RFC 4475 §3.1.2.19). */
  readonly isResponse: boolean;

  constructor(status: number, reason: string, options: { isResponse: boolean; partial?: SipRequest | SipResponse; cause?: unknown }) {
    super(ErrorCode.SIP_PARSE, reason, { cause: options.cause });
    this.name = 'SipParseError';
    this.status = status;
    this.reason = reason;
    this.isResponse = options.isResponse;
    if (options.partial !== undefined) this.partial = options.partial;
  }
}
