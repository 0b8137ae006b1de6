import type { SipRequest, Via } from '../message/index.js';
import { normaliseAddress } from './ip-address.js';
import type { MessageSource } from './transport-types.js';

/**
 * RFC 3261 §18.2.1 and RFC 3581 §4: record where the request really came
 * from in its top Via, so responses find their way back through NAT.
 * Throws SIP_PARSE if the request has no usable Via.
 */
export function stampReceived(request: SipRequest, source: MessageSource): void {
  const top = request.topVia;
  if (top !== undefined && stampVia(top, source)) request.setTopVia(top);
}

/** The same on a Via value alone; true when it changed. */
export function stampVia(top: Via, source: MessageSource): boolean {
  let changed = false;
  const rportWanted = top.rport === null;
  if (rportWanted || normaliseAddress(top.host) !== normaliseAddress(source.remoteAddress)) {
    top.params.set('received', normaliseAddress(source.remoteAddress));
    changed = true;
  }
  if (rportWanted) {
    top.params.set('rport', String(source.remotePort));
    changed = true;
  }
  return changed;
}
