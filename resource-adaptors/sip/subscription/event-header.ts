import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { SipMessage } from '../message/index.js';

/** An Event header (RFC 6665 §8.2.1): the package (`presence`) and the optional `id` parameter telling subscriptions of one dialog apart. */
export interface EventHeader {
  package: string;
  id?: string;
}

/** The Event header of a SUBSCRIBE, NOTIFY or PUBLISH; undefined without one. Throws SIP_PARSE when it is malformed. */
export function eventHeaderOf(message: SipMessage): EventHeader | undefined {
  const value = message.get('Event');
  if (value === undefined) return undefined;
  const [name = '', ...params] = value.split(';').map((part) => part.trim());
  if (!/^[A-Za-z0-9!%*_+`'~.-]+$/.test(name)) throw new SleetError(ErrorCode.SIP_PARSE, `malformed Event header: ${JSON.stringify(value.slice(0, 80))}`);
  const header: EventHeader = { package: name.toLowerCase() };
  for (const param of params) {
    const [key, val] = param.split('=');
    if (key?.trim().toLowerCase() === 'id' && val !== undefined) header.id = val.trim();
  }
  return header;
}

export function formatEventHeader(event: EventHeader): string {
  return event.id === undefined ? event.package : `${event.package};id=${event.id}`;
}
