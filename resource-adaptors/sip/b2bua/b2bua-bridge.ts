import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../../../base/clock/clock.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { ClientInvite, Dialog, DialogTerminationReason } from '../dialog/index.js';
import { SipUri, type SipRequest, type SipResponse } from '../message/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import { carriedContent } from './carried-content.js';
import { InDialogRelay } from './in-dialog-relay.js';

export type BridgeState = 'calling' | 'connected' | 'ended';

export interface BridgeOptions {
  /** Where the outbound legs go, in order (SIP URIs). */
  targets: readonly string[];
  /** Parallel: all at once, the first 2xx wins. Serial: the next one after a failure (or ring timeout). Parallel by default. */
  forking?: 'parallel' | 'serial';
  /** Milliseconds a leg (serial) or all legs (parallel) may ring before being CANCELled; none by default. */
  ringTimeout?: number;
  /** From of the outbound legs; the caller's From URI by default. */
  from?: string;
  /** Relay REFER across the bridge; refused 403 otherwise (see InDialogRelay). */
  relayRefer?: boolean;
}

/** Which leg ended a connected bridge: the caller's, the callee's, or `local` (hangup()). */
export interface BridgeEnd {
  by: 'inbound' | 'outbound' | 'local';
  reason: DialogTerminationReason;
}

export interface BridgeEvents {
  /** An outbound leg answered 2xx; its answer went to the caller. */
  answered: [response: SipResponse, outbound: Dialog];
  /** No leg answered: the caller got `status` (487 when it CANCELled). */
  failed: [status: number, reason: string];
  /** A connected bridge ended; both legs got BYE. */
  ended: [end: BridgeEnd];
}

/** What the bridge needs from a SIP stack (a SipStack fits). */
export interface B2buaHost {
  readonly clock: Clock;
  readonly dialogs: { uasDialog(tx: ServerTransaction): Dialog };
  createInvite(options: { to: string; from?: string; body?: Buffer | string; contentType?: string; headers?: Record<string, string | string[]> }): SipRequest;
  invite(request: SipRequest, options: { deferAck?: boolean }): ClientInvite;
}

interface Leg {
  /** Absent when the INVITE could not be built or sent. */
  invite?: ClientInvite;
  done: boolean;
  /** CANCELled by the ring timeout: its 487 counts as no answer (480). */
  unanswered: boolean;
}

const NO_ANSWER = { status: 480, reason: 'Temporarily Unavailable - no answer' };

function hasTag(message: SipRequest | SipResponse, header: string, tag: string): boolean {
  return message.getAll(header).some((t) => t.toLowerCase() === tag);
}

/**
 * A back-to-back user agent for one call: the caller's INVITE (the
 * inbound leg, answered here as a UAS) is bridged to one or more outbound
 * legs (INVITEs sent here as a UAC), forked in parallel or in series. The
 * first 2xx wins and is relayed to the caller; the other legs are
 * CANCELled, and a losing leg's late 2xx is ACKed and BYEd. Provisional
 * responses go to the caller (reliably when the callee's were and the
 * caller supports 100rel; each leg's PRACKs stay on that leg). Once
 * connected, in-dialog requests cross the bridge (InDialogRelay), and the
 * end of either leg (BYE, 408/481, no ACK) ends the other with BYE.
 *
 * Races: a CANCEL from the caller ends the bridge at once (the dialog
 * layer answers 487); an outbound 2xx that crosses it is ACKed and BYEd.
 */
export class B2buaBridge extends EventEmitter<BridgeEvents> {
  state: BridgeState = 'calling';
  readonly inbound: Dialog;
  outbound?: Dialog;
  private readonly legs: Leg[] = [];
  private readonly targets: string[];
  private readonly relay: InDialogRelay;
  /** The early outbound dialog that spoke last, the peer of the caller's early requests (UPDATE, INFO). */
  private early?: Dialog;
  private ringTimer?: TimerHandle;
  private best?: { status: number; reason: string };
  /** True while start() places the first legs: none has failed them all before the last is placed. */
  private placing = false;

  constructor(
    private readonly host: B2buaHost,
    readonly tx: ServerTransaction,
    private readonly options: BridgeOptions,
    private readonly reportError: (err: unknown) => void = () => undefined,
  ) {
    super();
    if (options.targets.length === 0) throw new SleetError(ErrorCode.SIP_B2BUA, 'a bridge needs at least one target');
    // Checked here so that a bad address fails whoever asked for the bridge, before anything is sent.
    for (const address of [...options.targets, ...(options.from === undefined ? [] : [options.from])]) {
      if (!SipUri.parse(address).isSip) throw new SleetError(ErrorCode.SIP_PARSE, `cannot bridge: ${JSON.stringify(address)} is not a SIP or SIPS URI`);
    }
    this.targets = [...options.targets];
    this.inbound = host.dialogs.uasDialog(tx);
    this.relay = new InDialogRelay((d) => this.peerOf(d), options.relayRefer ?? false, reportError);
  }

  /** Places the outbound legs. Listeners should be on before. */
  start(): void {
    this.relay.attach(this.inbound);
    this.inbound.on('terminated', (reason) => {
      // Early, the inbound dialog ends by the caller's CANCEL (the dialog layer answered 487), or by a reliable
      // provisional never PRACKed (answered 500 there): either way no leg may go on. Later, it ends the call.
      if (this.state === 'calling') this.fail({ status: 487, reason: 'Request Terminated' });
      else if (this.state === 'connected') this.end({ by: 'inbound', reason });
    });
    const first = this.options.forking === 'serial' ? this.targets.splice(0, 1) : this.targets.splice(0);
    this.placing = true;
    for (const target of first) this.call(target);
    this.placing = false;
    if (this.state === 'calling' && this.best !== undefined && this.legs.every((l) => l.done)) this.fail(this.best);
  }

  /** Ends the bridge: before an answer the legs are CANCELled and the caller gets 480; after, both legs get BYE. */
  hangup(): void {
    if (this.state === 'calling') this.fail(NO_ANSWER);
    else if (this.state === 'connected') this.end({ by: 'local', reason: 'bye' });
  }

  /** The caller's leg is paired with the winner, or while ringing with the leg that spoke last; other outbound legs with nobody. */
  private peerOf(dialog: Dialog): Dialog | undefined {
    const paired = this.outbound ?? this.early;
    if (dialog === this.inbound) return paired;
    return dialog === paired ? this.inbound : undefined;
  }

  /** Places a leg; one whose INVITE cannot be built or sent fails at once with 500, as a leg answering 500 would. */
  private call(target: string): void {
    const offer = this.tx.request;
    const leg: Leg = { done: false, unanswered: false };
    this.legs.push(leg);
    let invite: ClientInvite;
    try {
      const request = this.host.createInvite({ to: target, from: this.options.from ?? offer.from.uri.toString(), ...carriedContent(offer) });
      // A caller without an offer gets the callee's offer in our 2xx and answers in its ACK, which the callee's ACK waits for.
      invite = this.host.invite(request, { deferAck: offer.body.length === 0 });
    } catch (err) {
      this.reportError(err);
      this.failure(leg, { status: 500, reason: `Server Internal Error - cannot call ${target}` });
      return;
    }
    leg.invite = invite;
    invite.on('provisional', (response, dialog) => this.provisional(response, dialog));
    invite.on('success', (response, dialog) => this.success(leg, response, dialog));
    invite.on('failure', (response) => this.failure(leg, response));
    this.armRingTimer(this.options.forking === 'serial' ? [leg] : this.legs);
  }

  private armRingTimer(legs: Leg[]): void {
    const timeout = this.options.ringTimeout;
    if (timeout === undefined || this.ringTimer !== undefined) return;
    this.ringTimer = this.host.clock.schedule(timeout, () => {
      this.ringTimer = undefined;
      for (const leg of legs) this.cancel(leg, true);
    });
  }

  private provisional(response: SipResponse, dialog: Dialog | undefined): void {
    if (this.state !== 'calling') return;
    if (dialog !== undefined) {
      this.relay.attach(dialog);
      this.early = dialog;
    }
    if (response.status === 100) return;
    const reliable = hasTag(response, 'Require', '100rel') && (hasTag(this.tx.request, 'Supported', '100rel') || hasTag(this.tx.request, 'Require', '100rel'));
    this.safely(() => this.inbound.respond(this.tx, response.status, { reason: response.reason, reliable, ...carriedContent(response) }));
  }

  private success(leg: Leg, response: SipResponse, dialog: Dialog): void {
    leg.done = true;
    if (this.state !== 'calling') {
      this.discard(dialog);
      return;
    }
    this.state = 'connected';
    this.outbound = dialog;
    this.stopRinging();
    for (const other of this.legs) if (other !== leg) this.cancel(other, false);
    this.relay.attach(dialog);
    dialog.on('terminated', (reason) => {
      if (this.state === 'connected') this.end({ by: 'outbound', reason });
    });
    this.safely(() => this.inbound.respond(this.tx, response.status, { reason: response.reason, ...carriedContent(response) }));
    this.safeEmit('answered', response, dialog);
  }

  private failure(leg: Leg, response: { status: number; reason: string }): void {
    leg.done = true;
    if (this.state !== 'calling') return;
    const outcome = leg.unanswered && response.status === 487 ? NO_ANSWER : { status: response.status, reason: response.reason };
    // §16.7 in spirit: a 6xx ends the search; otherwise the lowest class (and status) seen is the caller's answer.
    if (this.best === undefined || outcome.status >= 600 || (this.best.status < 600 && outcome.status < this.best.status)) this.best = outcome;
    if (outcome.status >= 600) {
      this.fail(outcome);
      return;
    }
    const next = this.options.forking === 'serial' ? this.targets.shift() : undefined;
    if (next !== undefined) {
      this.stopRinging();
      this.call(next);
    } else if (!this.placing && this.legs.every((l) => l.done)) this.fail(this.best);
  }

  /** No answer: the caller gets `outcome` (unless its CANCEL already got it 487) and the outbound legs are CANCELled. */
  private fail(outcome: { status: number; reason: string }): void {
    this.state = 'ended';
    this.stopRinging();
    for (const leg of this.legs) this.cancel(leg, false);
    this.relay.abort();
    if (this.tx.awaitingFinal) this.safely(() => this.inbound.respond(this.tx, outcome.status, { reason: outcome.reason }));
    this.safeEmit('failed', outcome.status, outcome.reason);
  }

  private end(end: BridgeEnd): void {
    this.state = 'ended';
    // Pending relays are answered before the BYE that ends their dialog.
    this.relay.abort();
    for (const leg of [this.inbound, this.outbound]) if (leg !== undefined) this.discard(leg);
    this.safeEmit('ended', end);
  }

  /** A leg that must not live on: ACKed if its 2xx waits for one, then BYEd. */
  private discard(dialog: Dialog): void {
    this.safely(() => {
      if (dialog.ackPending) dialog.sendAck();
      if (!dialog.isTerminated) dialog.bye();
    });
  }

  private cancel(leg: Leg, unanswered: boolean): void {
    if (leg.done) return;
    leg.unanswered ||= unanswered;
    this.safely(() => leg.invite?.cancel());
  }

  private stopRinging(): void {
    if (this.ringTimer !== undefined) this.host.clock.cancel(this.ringTimer);
    this.ringTimer = undefined;
  }

  private safely(send: () => unknown): void {
    try {
      send();
    } catch (err) {
      this.reportError(err);
    }
  }

  private safeEmit<K extends keyof BridgeEvents>(event: K, ...args: BridgeEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: BridgeEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.reportError(err);
    }
  }
}
