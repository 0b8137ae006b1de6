import { isUtf8 } from 'node:buffer';
import type { WebSocket } from 'ws';
import type { Clock, TimerHandle } from '../../../base/clock/clock.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { normaliseAddress } from './ip-address.js';
import { nextConnectionId, type ConnectionHooks, type SipConnection } from './sip-connection.js';

const PONG = Buffer.from('\r\n');

export interface WsConnectionOptions {
  maxWriteBuffer: number;
  /** A ping goes out this often; a peer that has not answered the previous one by then is dropped. */
  pingIntervalMs: number;
  clock: Clock;
}

export interface WsEndpoints {
  remoteAddress?: string | undefined;
  remotePort?: number | undefined;
  localAddress?: string | undefined;
  localPort?: number | undefined;
}

/**
 * One SIP-over-WebSocket connection (RFC 7118): each frame is one whole
 * message, so there is no framing beyond what `ws` does (and bounds with its
 * maxPayload). A CRLFCRLF frame is a keep-alive ping answered with a CRLF
 * frame (RFC 5626 §3.5.1 carried over WebSocket); WebSocket pings sent on the
 * clock find peers that vanished without closing.
 */
export class WsConnection implements SipConnection {
  readonly id = nextConnectionId();
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  private pingTimer?: TimerHandle;
  private answered = true;
  private closed = false;

  constructor(
    readonly transport: 'WS' | 'WSS',
    private readonly socket: WebSocket,
    endpoints: WsEndpoints,
    private readonly options: WsConnectionOptions,
    private readonly hooks: ConnectionHooks,
  ) {
    this.remoteAddress = normaliseAddress(endpoints.remoteAddress ?? '');
    this.remotePort = endpoints.remotePort ?? 0;
    this.localAddress = normaliseAddress(endpoints.localAddress ?? '');
    this.localPort = endpoints.localPort ?? 0;
    socket.on('message', (data: Buffer) => this.guard(() => this.receive(data)));
    socket.on('pong', () => (this.answered = true));
    socket.on('error', (err: Error & { code?: string }) => this.guard(() => this.failed(err)));
    socket.on('close', () => this.guard(() => this.close()));
    this.armPing();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Text frames for UTF-8 messages (what browsers expect), binary for a body that is not (RFC 7118 §4.1). */
  write(data: Buffer): boolean {
    if (this.closed) return false;
    if (this.socket.bufferedAmount + data.length > this.options.maxWriteBuffer) {
      this.close();
      return false;
    }
    this.socket.send(data, { binary: !isUtf8(data) }, () => undefined);
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pingTimer !== undefined) this.options.clock.cancel(this.pingTimer);
    this.socket.terminate();
    this.hooks.onClose(this);
  }

  private receive(data: Buffer): void {
    if (this.closed) return;
    this.answered = true;
    if (isOnlyCrlf(data)) {
      this.hooks.onKeepAlive(this);
      if (data.length === 4) this.write(PONG);
      return;
    }
    this.hooks.onMessage(data, this);
  }

  /** `ws` reports a frame over maxPayload or a protocol violation, then closes. */
  private failed(err: Error & { code?: string }): void {
    const tooLarge = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
    if (err.code?.startsWith('WS_ERR_')) {
      this.hooks.onFramingError(tooLarge ? new SleetError(ErrorCode.SIP_MESSAGE_TOO_LARGE, `WebSocket frame over the message size limit`) : err, this);
    }
    this.close();
  }

  private armPing(): void {
    this.pingTimer = this.options.clock.schedule(this.options.pingIntervalMs, () => {
      this.pingTimer = undefined;
      if (this.closed) return;
      if (!this.answered) {
        this.hooks.onMessageTimeout(this);
        this.close();
        return;
      }
      this.answered = false;
      this.guard(() => this.socket.ping());
      this.armPing();
    });
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.hooks.onError(err);
    }
  }
}

function isOnlyCrlf(data: Buffer): boolean {
  for (const byte of data) if (byte !== 0x0d && byte !== 0x0a) return false;
  return data.length > 0;
}
