import type { Clock, TimerHandle } from '../../../base/clock/clock.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { SipMessage, SipRequest, SipResponse } from '../message/index.js';
import type { ServerTransaction, TimerSettings } from '../transaction/index.js';
import type { ResponseOptions } from './build-response.js';

const TAG = '100rel';
const MAX_RSEQ = 0x7fffffff;

function hasTag(message: SipMessage, header: string): boolean {
  return message.getAll(header).some((tag) => tag.toLowerCase() === TAG);
}

/**
 * RFC 3262 §3: whether a 1xx (not 100) to this INVITE goes reliably. An
 * INVITE with Require: 100rel gets every one reliably; the application
 * may ask for it when the UAC said Supported: 100rel, and asking without
 * that is refused rather than silently sent unreliably, since a caller
 * that needs the PRACK (e.g. for an SDP answer) would wait for nothing.
 */
export function sendsReliably(request: SipRequest, status: number, options: ResponseOptions): boolean {
  if (request.method !== 'INVITE' || status <= 100 || status >= 200) return false;
  if (hasTag(request, 'Require')) return true;
  if (options.reliable !== true) return false;
  if (hasTag(request, 'Supported')) return true;
  throw new SleetError(ErrorCode.SIP_100REL_NOT_SUPPORTED, `a reliable ${status} needs an INVITE with Supported or Require: 100rel (RFC 3262 §3)`);
}

/**
 * RFC 3262 §3, UAS side, for the INVITE one server transaction answers:
 * stamps Require: 100rel and RSeq (random start, +1 each), sends one
 * reliable provisional at a time (later ones wait their turn), re-sends it
 * at T1, 2T1, 4T1... (no T2 cap in §3) until its PRACK, and gives up after
 * 64*T1. As for 2xx retransmission (SuccessRetransmitter), a reliable
 * transport only runs the give-up timer.
 */
export class ReliableProvisionals {
  private nextRSeq = 1 + Math.floor(Math.random() * (MAX_RSEQ - 1));
  private unacknowledged?: SipResponse;
  private readonly waiting: SipResponse[] = [];
  private retransmitTimer?: TimerHandle;
  private giveUpTimer?: TimerHandle;

  constructor(
    private readonly clock: Clock,
    private readonly timers: TimerSettings,
    readonly tx: ServerTransaction,
    /** No PRACK came within 64*T1: the INVITE should now be answered 5xx. */
    private readonly onGiveUp: () => void,
  ) {}

  /** Sends the response reliably now, or once the ones before it are PRACKed. */
  send(response: SipResponse): void {
    if (!hasTag(response, 'Require')) response.add('Require', TAG);
    response.set('RSeq', String(this.nextRSeq));
    this.nextRSeq = this.nextRSeq === MAX_RSEQ ? 1 : this.nextRSeq + 1;
    if (this.unacknowledged === undefined) this.transmit(response);
    else this.waiting.push(response);
  }

  /** A PRACK for this dialog: true when its RAck names the unacknowledged response (the PRACK then gets 200). */
  acknowledge(prack: SipRequest): boolean {
    const pending = this.unacknowledged;
    if (pending === undefined) return false;
    const [rseq, cseq, method] = (prack.get('RAck') ?? '').trim().split(/\s+/);
    if (rseq !== pending.get('RSeq') || Number(cseq) !== pending.cseq.seq || method !== pending.cseq.method) return false;
    this.stopTimers();
    this.unacknowledged = undefined;
    const next = this.waiting.shift();
    if (next !== undefined && this.tx.awaitingFinal) this.transmit(next);
    return true;
  }

  /**
   * The final response went out: nothing more is re-sent or sent, but the
   * PRACK of the unacknowledged one may still come and gets 200 (§3).
   */
  finalSent(): void {
    this.stopTimers();
    this.waiting.length = 0;
  }

  /** The dialog ended: nothing more is re-sent, sent or acknowledged. */
  stop(): void {
    this.stopTimers();
    this.unacknowledged = undefined;
    this.waiting.length = 0;
  }

  private transmit(response: SipResponse): void {
    this.tx.respond(response);
    this.unacknowledged = response;
    if (!this.tx.reliable) this.schedule(this.timers.t1);
    this.giveUpTimer = this.clock.schedule(64 * this.timers.t1, () => {
      this.giveUpTimer = undefined;
      this.stop();
      this.onGiveUp();
    });
  }

  private schedule(interval: number): void {
    this.retransmitTimer = this.clock.schedule(interval, () => {
      this.retransmitTimer = undefined;
      if (this.unacknowledged === undefined || !this.tx.awaitingFinal) return;
      this.tx.respond(this.unacknowledged);
      this.schedule(2 * interval);
    });
  }

  private stopTimers(): void {
    if (this.retransmitTimer !== undefined) this.clock.cancel(this.retransmitTimer);
    if (this.giveUpTimer !== undefined) this.clock.cancel(this.giveUpTimer);
    this.retransmitTimer = undefined;
    this.giveUpTimer = undefined;
  }
}

/**
 * RFC 3262 §4, UAC side, for one INVITE: which reliable provisionals to
 * PRACK. The first RSeq from each To tag (fork) starts its count; only
 * the next one after it is new, a retransmission or an out-of-order one is
 * dropped (neither PRACKed nor shown to the application).
 */
export class PrackTracker {
  private readonly lastRSeq = new Map<string, number>();

  /** The RSeq to PRACK, 'drop' for a response to ignore, undefined for an unreliable one. */
  classify(response: SipResponse, remoteTag: string): number | 'drop' | undefined {
    if (!hasTag(response, 'Require')) return undefined;
    const rseq = Number(response.get('RSeq'));
    if (!Number.isInteger(rseq) || rseq < 1 || rseq > MAX_RSEQ) return undefined;
    const last = this.lastRSeq.get(remoteTag);
    if (last !== undefined && rseq !== last + 1) return 'drop';
    this.lastRSeq.set(remoteTag, rseq);
    return rseq;
  }
}
