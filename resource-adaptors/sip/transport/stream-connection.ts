import type { Socket } from 'node:net';
import type { Clock, TimerHandle } from '../../../base/clock/clock.js';
import { StreamFramer } from '../message/index.js';
import { normaliseAddress } from './ip-address.js';
import { nextConnectionId, type ConnectionHooks, type SipConnection } from './sip-connection.js';

const PONG = Buffer.from('\r\n');

export interface StreamConnectionOptions {
  maxMessageSize: number;
  maxWriteBuffer: number;
  idleTimeoutMs: number;
  /** A message must be whole within this time of its first byte (slowloris). */
  messageTimeoutMs: number;
  clock: Clock;
}

/**
 * One TCP or TLS connection: frames incoming bytes (the framer bounds what
 * it buffers by maxMessageSize), answers CRLF keep-alive pings, bounds what
 * is queued for writing, and closes itself when idle or when a message is
 * not whole by its deadline. Only whole messages, keep-alives and writes
 * count as activity, so a peer trickling bytes cannot hold it open.
 */
export class StreamConnection implements SipConnection {
  readonly id = nextConnectionId();
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  private readonly framer: StreamFramer;
  private lastActivity: number;
  private idleTimer?: TimerHandle;
  private messageTimer?: TimerHandle;
  private closed = false;

  constructor(
    readonly transport: 'TCP' | 'TLS',
    private readonly socket: Socket,
    private readonly options: StreamConnectionOptions,
    private readonly hooks: ConnectionHooks,
  ) {
    this.remoteAddress = normaliseAddress(socket.remoteAddress ?? '');
    this.remotePort = socket.remotePort ?? 0;
    this.localAddress = normaliseAddress(socket.localAddress ?? '');
    this.localPort = socket.localPort ?? 0;
    this.framer = new StreamFramer({ maxMessageSize: options.maxMessageSize });
    this.lastActivity = options.clock.now();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.guard(() => this.receive(chunk)));
    socket.on('error', () => undefined); // 'close' follows and does the cleanup
    socket.on('close', () => this.guard(() => this.close()));
    this.armIdle(options.idleTimeoutMs);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Queues bytes; returns false (and drops the connection) when closed or when the peer is not reading. */
  write(data: Buffer): boolean {
    if (this.closed) return false;
    if (this.socket.writableLength + data.length > this.options.maxWriteBuffer) {
      this.close();
      return false;
    }
    this.lastActivity = this.options.clock.now();
    this.socket.write(data);
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer !== undefined) this.options.clock.cancel(this.idleTimer);
    this.cancelMessageDeadline();
    this.socket.destroy();
    this.hooks.onClose(this);
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    let items;
    try {
      items = this.framer.push(chunk);
    } catch (err) {
      this.hooks.onFramingError(err, this);
      this.close();
      return;
    }
    if (items.length > 0) {
      this.lastActivity = this.options.clock.now();
      // Each message gets its own deadline, from the chunk that completed the previous one.
      this.cancelMessageDeadline();
    }
    if (this.framer.pendingBytes > 0 && this.messageTimer === undefined) this.armMessageDeadline();
    for (const item of items) {
      if (this.closed) return;
      if (item.kind === 'message') {
        this.guard(() => this.hooks.onMessage(item.data, this));
      } else if (item.data.length === 4) {
        // RFC 5626 §3.5.1: a CRLFCRLF ping gets a CRLF pong.
        this.hooks.onKeepAlive(this);
        this.write(PONG);
      }
    }
  }

  /** Checks activity when the timer fires rather than re-arming on every message. */
  private armIdle(delayMs: number): void {
    this.idleTimer = this.options.clock.schedule(delayMs, () => {
      this.idleTimer = undefined;
      if (this.closed) return;
      const idleFor = this.options.clock.now() - this.lastActivity;
      if (idleFor >= this.options.idleTimeoutMs) this.close();
      else this.armIdle(this.options.idleTimeoutMs - idleFor);
    });
  }

  private armMessageDeadline(): void {
    this.messageTimer = this.options.clock.schedule(this.options.messageTimeoutMs, () => {
      this.messageTimer = undefined;
      if (this.closed || this.framer.pendingBytes === 0) return;
      this.hooks.onMessageTimeout(this);
      this.close();
    });
  }

  private cancelMessageDeadline(): void {
    if (this.messageTimer === undefined) return;
    this.options.clock.cancel(this.messageTimer);
    this.messageTimer = undefined;
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.hooks.onError(err);
    }
  }
}
