import { parseMessage, SipResponse } from '../message/index.js';

/** Largest UDP payload: 65,535 less the IPv4 and UDP headers; IPv6's payload length excludes its own header. */
export function maxDatagramPayload(family: 4 | 6): number {
  return family === 6 ? 65_527 : 65_507;
}

export interface FittedResponse {
  data: Buffer;
  /** `compact`: the same response in its smallest RFC 3261 form; `513`: a 513 Message Too Large in its place. */
  form: 'as-is' | 'compact' | '513';
}

/**
 * A response for a datagram of at most `limit` bytes (RFC 3261 §18.2.2 sends
 * responses on the request's transport, so a UDP request gets a UDP answer):
 * as it is if it fits, else compacted, else a 513 carrying what every
 * response must (Via, From, To, Call-ID, CSeq), compacted. Undefined when
 * even that does not fit: the Via values alone are too long.
 */
export function fitResponseInDatagram(data: Buffer, limit: number): FittedResponse | undefined {
  if (data.length <= limit) return { data, form: 'as-is' };
  let response: SipResponse;
  try {
    response = parseMessage(data, { maxMessageSize: data.length }) as SipResponse;
  } catch {
    return undefined;
  }
  const compact = response.toCompactBuffer();
  if (compact.length <= limit) return { data: compact, form: 'compact' };
  const headers: Record<string, string | string[]> = { Via: response.getAll('Via') };
  for (const name of ['From', 'To', 'Call-ID', 'CSeq']) {
    const value = response.get(name);
    if (value !== undefined) headers[name] = value;
  }
  const refusal = SipResponse.create(513, 'Message Too Large', headers).toCompactBuffer();
  return refusal.length <= limit ? { data: refusal, form: '513' } : undefined;
}
