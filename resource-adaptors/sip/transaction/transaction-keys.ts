import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { RFC3261_BRANCH_PREFIX } from '../message/constants.js';
import type { SipRequest, SipResponse, Via } from '../message/index.js';

/*
 * Keys are built with join: a template literal gives V8 a tree of its parts
 * (a rope of about seven strings), kept as such in the transaction maps for
 * all of a 64·T1 wait state, where join gives one flat string.
 */

function topVia(message: SipRequest | SipResponse): Via {
  const via = message.topVia;
  if (via === undefined) throw new SleetError(ErrorCode.SIP_PARSE, 'missing Via header');
  return via;
}

/** True when the request's branch carries the RFC 3261 magic cookie. */
export function hasRfc3261Branch(request: SipRequest): boolean {
  return topVia(request).branch?.startsWith(RFC3261_BRANCH_PREFIX) ?? false;
}

/**
 * §17.2.3 server matching key. With the magic cookie: branch + sent-by +
 * method, ACK folded onto INVITE. Without it (RFC 2543): Request-URI, From
 * tag, Call-ID, CSeq number, method and top Via; the To tag is compared
 * separately because an ACK carries the response's tag, not the INVITE's.
 * `method` overrides the request's (CANCEL looks up the INVITE it cancels).
 */
export function serverTransactionKey(request: SipRequest, method?: string): string {
  const via = topVia(request);
  const m = method ?? (request.method === 'ACK' ? 'INVITE' : request.method);
  const branch = via.branch;
  if (branch !== undefined && branch.startsWith(RFC3261_BRANCH_PREFIX)) return rfc3261ServerKey(branch, via, m);
  return ['2543', request.uri.toString(), request.from.tag ?? '', request.callId, request.cseq.seq, m, via.toString()].join('|');
}

/** The server key of a request whose top Via branch has the magic cookie (ACK and CANCEL pass the method they match). */
export function rfc3261ServerKey(branch: string, via: Via, method: string): string {
  return ['3261', branch, `${via.host.toLowerCase()}:${via.port ?? ''}`, method].join('|');
}

/** Whether a server key is an RFC 2543 one (no magic cookie), whose matching also compares To tags. */
export function isRfc2543Key(key: string): boolean {
  return key.startsWith('2543|');
}

/** §17.1.3: a response matches the client transaction with its top Via branch and CSeq method. */
export function clientKeyForResponse(response: SipResponse): string {
  return [topVia(response).branch ?? '', response.cseq.method].join('|');
}

export function clientKeyForRequest(request: SipRequest): string {
  return [topVia(request).branch ?? '', request.method].join('|');
}
