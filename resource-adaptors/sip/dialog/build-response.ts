import { NameAddr, SipResponse, type SipRequest } from '../message/index.js';

export interface ResponseOptions {
  reason?: string;
  /** Added to To when the request's To has no tag (dialog-creating responses). */
  toTag?: string;
  contact?: NameAddr;
  body?: Buffer | string;
  contentType?: string;
  headers?: Record<string, string | string[]>;
  /**
   * A 1xx (not 100) to INVITE sent reliably (RFC 3262): Require: 100rel,
   * RSeq, re-sent until PRACKed. Throws SIP_100REL_NOT_SUPPORTED when the
   * INVITE had neither Supported nor Require 100rel; an INVITE with
   * Require: 100rel gets every provisional reliably without asking.
   */
  reliable?: boolean;
}

/**
 * A UAS response (RFC 3261 §8.2.6): Via, From, To, Call-ID and CSeq from the
 * request; for 1xx/2xx to a dialog-creating request, Record-Route is copied
 * (§12.1.1) so the caller learns the same route set.
 */
export function buildResponse(request: SipRequest, status: number, options: ResponseOptions = {}): SipResponse {
  const response = SipResponse.fromRequest(request, status, options.reason, status > 100 ? options.toTag : undefined);
  if (status > 100 && status < 300) {
    const recordRoutes = request.getAll('Record-Route');
    if (recordRoutes.length > 0) response.set('Record-Route', recordRoutes);
  }
  if (options.contact !== undefined && status > 100 && status < 300) response.set('Contact', options.contact.toString());
  for (const [name, value] of Object.entries(options.headers ?? {})) response.set(name, value);
  if (options.body !== undefined) {
    response.body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
    if (options.contentType !== undefined) response.set('Content-Type', options.contentType);
  }
  return response;
}
