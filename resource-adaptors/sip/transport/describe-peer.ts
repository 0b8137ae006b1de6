import type { MessageSource } from './transport-types.js';

/** `UDP 192.0.2.1:5060`: who sent a message, for a log line. */
export function describePeer(source: Pick<MessageSource, 'transport' | 'remoteAddress' | 'remotePort'>): string {
  const address = source.remoteAddress.includes(':') ? `[${source.remoteAddress}]` : source.remoteAddress;
  return `${source.transport} ${address}:${source.remotePort}`;
}
