import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../base/clock/clock.js';
import { datagramLookup } from './datagram-lookup.js';

/** Starts with NUL: never the first byte of a SIP message or a CRLF keep-alive. */
const MAGIC = Buffer.from('\0sleet-input-delay-probe\0', 'latin1');
const PROBE_LENGTH = MAGIC.length + 8;

/** Calls `tick` periodically (the load sampler, at each sample); returns what stops it. */
export type ProbeTicks = (tick: () => void) => () => void;

export interface ProbeTarget {
  readonly address: string;
  readonly port: number;
  readonly family: 4 | 6;
}

/**
 * How long a datagram waits before the node reads it. Under overload the
 * wait is in the kernel's receive queue (a full 4 MiB buffer holds about
 * half a second of SIP traffic), which the event loop's own delay does not
 * show. Each tick sends one small datagram to every UDP listen point and
 * times its arrival; one still unread at the next tick counts for as long
 * as it has waited, so a queue that stops moving still reads as growing.
 * A probe carries a random nonce: a forged one is dropped, not timed. The
 * ticks are the load sampler's, so probing adds no wake-up of its own.
 */
export class InputDelayProbe {
  private readonly sockets = new Map<4 | 6, Socket>();
  private readonly waiting = new Map<ProbeTarget, { nonce: Buffer; sentAt: number }>();
  private stopTicks: (() => void) | null = null;

  constructor(
    private readonly targets: readonly ProbeTarget[],
    private readonly clock: Clock,
    private readonly onDelay: (ms: number) => void,
  ) {}

  /** True for a datagram shaped like a probe: the transport hands it here instead of parsing it. */
  static isProbe(data: Buffer): boolean {
    return data.length === PROBE_LENGTH && data.subarray(0, MAGIC.length).equals(MAGIC);
  }

  async start(ticks: ProbeTicks): Promise<void> {
    for (const family of new Set(this.targets.map((t) => t.family))) {
      const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4', ipv6Only: family === 6, lookup: datagramLookup });
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.bind(0, family === 6 ? '::' : '0.0.0.0', resolve));
      socket.unref();
      this.sockets.set(family, socket);
    }
    this.stopTicks = ticks(() => this.tick());
  }

  /** Sends the next probes; each listen point with one still unread reports how long it has waited instead. */
  tick(): void {
    const now = this.clock.now();
    for (const target of this.targets) {
      const pending = this.waiting.get(target);
      if (pending !== undefined) {
        this.onDelay(now - pending.sentAt);
        continue;
      }
      const nonce = randomBytes(8);
      this.waiting.set(target, { nonce, sentAt: now });
      this.sockets.get(target.family)?.send(Buffer.concat([MAGIC, nonce]), target.port, reachable(target));
    }
  }

  /** A probe read by the transport: its wait is reported if it is one of ours. */
  received(data: Buffer): void {
    const nonce = data.subarray(MAGIC.length);
    for (const [target, sent] of this.waiting) {
      if (!sent.nonce.equals(nonce)) continue;
      this.waiting.delete(target);
      this.onDelay(this.clock.now() - sent.sentAt);
      return;
    }
  }

  close(): void {
    this.stopTicks?.();
    this.stopTicks = null;
    for (const socket of this.sockets.values()) socket.close();
    this.sockets.clear();
    this.waiting.clear();
  }
}

/** A wildcard listen point is reached on loopback. */
function reachable(target: ProbeTarget): string {
  if (target.address === '0.0.0.0') return '127.0.0.1';
  if (target.address === '::') return '::1';
  return target.address;
}
