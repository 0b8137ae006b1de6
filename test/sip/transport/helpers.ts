import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { parseMessage, type SipRequest, type SipResponse } from '../../../resource-adaptors/sip/message/index.js';
import { TransportLayer } from '../../../resource-adaptors/sip/transport/transport-layer.js';
import type { TransportLayerOptions } from '../../../resource-adaptors/sip/transport/transport-options.js';
import type { MessageSource } from '../../../resource-adaptors/sip/transport/transport-types.js';

const openPeers: Array<() => void> = [];

/** Closes every raw peer socket, so a failed test cannot keep the process alive. */
export function closePeers(): void {
  for (const close of openPeers.splice(0)) close();
}

export interface Received {
  message: SipRequest | SipResponse;
  source: MessageSource;
}

/** A transport layer on loopback with UDP and TCP on free ports, recording what it receives. */
export async function startLayer(
  options: TransportLayerOptions = {},
  host = '127.0.0.1',
): Promise<{ layer: TransportLayer; received: Received[]; udpPort: number; tcpPort: number }> {
  const layer = new TransportLayer(options);
  const received: Received[] = [];
  layer.setReceiver((message, source) => received.push({ message, source }));
  const udp = await layer.listen({ transport: 'UDP', host, port: 0 });
  const tcp = await layer.listen({ transport: 'TCP', host, port: 0 });
  return { layer, received, udpPort: udp.port, tcpPort: tcp.port };
}

/** Polls until `predicate` holds; the deadline only turns a hang into a failure. */
export async function waitFor(predicate: () => boolean, what = 'condition'): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function requestText(options: { method?: string; branch?: string; via?: string; body?: string; host?: string } = {}): string {
  const method = options.method ?? 'OPTIONS';
  const host = options.host ?? '127.0.0.1';
  const body = options.body ?? '';
  return (
    `${method} sip:bob@${host} SIP/2.0\r\n` +
    `Via: ${options.via ?? `SIP/2.0/UDP ${host}:9;branch=${options.branch ?? 'z9hG4bKraw1'};rport`}\r\n` +
    `Max-Forwards: 70\r\nFrom: <sip:alice@${host}>;tag=a1\r\nTo: <sip:bob@${host}>\r\n` +
    `Call-ID: raw-${options.branch ?? '1'}\r\nCSeq: 1 ${method}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/** A raw UDP peer collecting what it receives. */
export async function udpPeer(type: 'udp4' | 'udp6' = 'udp4'): Promise<{ socket: DgramSocket; port: number; got: Buffer[] }> {
  const socket = createSocket(type);
  const got: Buffer[] = [];
  socket.on('message', (m) => got.push(m));
  openPeers.push(() => socket.close());
  await new Promise<void>((r) => socket.bind(0, type === 'udp4' ? '127.0.0.1' : '::1', () => r()));
  return { socket, port: socket.address().port, got };
}

/** A raw TCP peer collecting bytes and noticing when the far end closes. */
export async function tcpPeer(port: number): Promise<{ socket: Socket; data: () => string; closed: () => boolean }> {
  const socket = connect({ host: '127.0.0.1', port });
  let data = '';
  let closed = false;
  socket.on('data', (d) => (data += d.toString('latin1')));
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  openPeers.push(() => socket.destroy());
  await new Promise<void>((r) => socket.once('connect', () => r()));
  return { socket, data: () => data, closed: () => closed };
}

export function parse(data: Buffer): SipRequest | SipResponse {
  return parseMessage(data);
}
