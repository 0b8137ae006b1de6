import type { SipMessage } from '../message/index.js';
import type { WireMessage } from '../transport/index.js';

const KEY_HEADERS = ['Call-ID', 'From', 'To', 'CSeq', 'Via', 'Contact'];

/**
 * One line for a message on the wire: direction, peer, start line and the
 * headers that identify it; what FINE on `ra:<entity>` logs. A retransmission
 * sent from kept bytes shows its start line only.
 */
export function wireSummary(wire: WireMessage): string {
  const arrow = wire.direction === 'in' ? '<-' : '->';
  const peer = `${wire.transport} ${wire.remoteAddress}:${wire.remotePort}`;
  const message = wire.message;
  if (message === undefined) return `${arrow} ${peer} ${startLine(wire.bytes)} (retransmission)`;
  const headers = KEY_HEADERS.map((name) => headerOf(message, name)).filter((h) => h !== '');
  return `${arrow} ${peer} ${startLine(wire.bytes)} | ${headers.join(' | ')}`;
}

function headerOf(message: SipMessage, name: string): string {
  const value = message.getAll(name)[0];
  return value === undefined ? '' : `${name}: ${value}`;
}

function startLine(bytes: Buffer): string {
  const end = bytes.indexOf('\r\n');
  return bytes.subarray(0, end === -1 ? Math.min(bytes.length, 200) : Math.min(end, 200)).toString('latin1');
}
