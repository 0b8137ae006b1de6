import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { TransportProtocol } from '../transport/transport-types.js';
import { MIN_ROUTE_SECRET_BYTES } from './route-tokens.js';

const MAC_BYTES = 12;
const TRANSPORTS: ReadonlySet<string> = new Set(['UDP', 'TCP', 'TLS', 'WS', 'WSS']);

/** One flow (RFC 5626 §3.3): a connection, or for UDP the peer's address and port. */
export interface Flow {
  transport: TransportProtocol;
  remoteAddress: string;
  remotePort: number;
  connectionId?: number;
}

/**
 * RFC 5626 §5.2 flow tokens: what an edge proxy puts in the user part of
 * its Path (and Record-Route) URI so that a request coming back names the
 * flow to send it over. The flow is written out and signed (HMAC under the
 * node secret), so nothing is stored per flow and a made-up token cannot
 * steer requests to another client's connection.
 */
export class FlowTokens {
  private readonly secret: Buffer;

  constructor(secret: Buffer = randomBytes(MIN_ROUTE_SECRET_BYTES)) {
    if (secret.length < MIN_ROUTE_SECRET_BYTES) {
      throw new SleetError(ErrorCode.CONFIG_INVALID, `the flow token secret must be at least ${MIN_ROUTE_SECRET_BYTES} bytes, not ${secret.length}`);
    }
    this.secret = Buffer.from(secret);
  }

  /** The token for a flow (the one a message arrived on: its MessageSource). */
  issue(flow: Flow): string {
    const payload = [flow.transport, flow.connectionId ?? '', flow.remoteAddress, flow.remotePort].join(' ');
    return `${Buffer.from(payload).toString('base64url')}.${this.mac(payload).toString('base64url')}`;
  }

  /** The flow a token names; undefined for anything this key did not sign. */
  open(token: string): Flow | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0) return undefined;
    const payload = Buffer.from(token.slice(0, dot), 'base64url').toString();
    const mac = Buffer.from(token.slice(dot + 1), 'base64url');
    if (mac.length !== MAC_BYTES || !timingSafeEqual(mac, this.mac(payload))) return undefined;
    const [transport, id, remoteAddress, port] = payload.split(' ');
    if (transport === undefined || !TRANSPORTS.has(transport) || remoteAddress === undefined) return undefined;
    const flow: Flow = { transport: transport as TransportProtocol, remoteAddress, remotePort: Number(port) };
    if (id !== '') flow.connectionId = Number(id);
    return flow;
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(`flow\n${payload}`).digest().subarray(0, MAC_BYTES);
  }
}
