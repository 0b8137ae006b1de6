import type { SipRequest } from '../message/index.js';
import { eventHeaderOf, type EventHeader } from './event-header.js';

/**
 * What an RFC 3903 PUBLISH asks of an event state compositor (§4):
 * `initial` a new publication (a body, no SIP-If-Match), `refresh` extend
 * one (SIP-If-Match, no body), `modify` replace its state (both), `remove`
 * (SIP-If-Match and Expires: 0). `invalid` says why it is none of them.
 */
export type PublishRequest =
  | { kind: 'initial'; event: EventHeader; expires: number | undefined; body: Buffer; contentType: string | undefined }
  | { kind: 'refresh' | 'remove'; event: EventHeader; expires: number | undefined; etag: string }
  | { kind: 'modify'; event: EventHeader; expires: number | undefined; etag: string; body: Buffer; contentType: string | undefined }
  | { kind: 'invalid'; status: 400 | 489; reason: string };

export function parsePublish(request: SipRequest): PublishRequest {
  let event: EventHeader | undefined;
  try {
    event = eventHeaderOf(request);
  } catch {
    return { kind: 'invalid', status: 400, reason: 'Bad Request - malformed Event header' };
  }
  if (event === undefined) return { kind: 'invalid', status: 489, reason: 'Bad Event - PUBLISH without an Event header' };
  const etag = request.get('SIP-If-Match')?.trim();
  const expires = request.expires;
  const hasBody = request.body.length > 0;
  const contentType = request.contentType;
  if (etag === undefined) {
    if (!hasBody) return { kind: 'invalid', status: 400, reason: 'Bad Request - initial PUBLISH without a body' };
    return { kind: 'initial', event, expires, body: request.body, contentType };
  }
  if (expires === 0) return { kind: 'remove', event, expires, etag };
  return hasBody ? { kind: 'modify', event, expires, etag, body: request.body, contentType } : { kind: 'refresh', event, expires, etag };
}
