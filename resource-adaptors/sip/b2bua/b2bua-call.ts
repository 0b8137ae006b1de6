import { EventEmitter } from 'node:events';
import type { ClientInvite, Dialog } from '../dialog/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';

export type B2buaState = 'idle' | 'calling-a' | 'calling-b' | 'connected' | 'terminated';

export interface B2buaEvents {
  state: [state: B2buaState];
  /** Why the call ended: a leg's failure status, or 'bye' from either side. */
  ended: [reason: string];
}

/** What the call needs to place its two INVITEs (a SipStack fits). */
export interface B2buaUac {
  createInvite(options: { to: string; from?: string }): SipRequest;
  invite(request: SipRequest, options: { deferAck?: boolean }): ClientInvite;
}

/**
 * Third-party call control (RFC 3725 flow I, click-to-dial): INVITE A
 * without SDP; A's 2xx carries the offer, which goes to B in a second
 * INVITE; B's answer goes back to A in the (deferred) ACK. BYE on one leg
 * is relayed to the other; a failure on B tears A down.
 */
export class B2buaCall extends EventEmitter<B2buaEvents> {
  state: B2buaState = 'idle';
  legA?: Dialog;
  legB?: Dialog;

  constructor(
    private readonly uac: B2buaUac,
    readonly a: string,
    readonly b: string,
    readonly from?: string,
  ) {
    super();
  }

  /**
   * Places the call to A. Nothing it does throws: an INVITE that cannot be
   * built or sent ends the call, with the reason, as a failed leg would.
   */
  start(): void {
    this.setState('calling-a');
    try {
      const invite = this.uac.invite(this.uac.createInvite(this.party(this.a)), { deferAck: true });
      invite.on('success', (response, dialog) => {
        this.legA = dialog;
        this.watch(dialog, () => this.legB);
        this.callB(response);
      });
      invite.on('failure', (response) => this.end(`A ${response.status}`));
    } catch (err) {
      this.end(`A failed: ${(err as Error).message}`);
    }
  }

  /** Hangs up both legs. */
  hangup(): void {
    for (const leg of [this.legA, this.legB]) if (leg !== undefined && !leg.isTerminated) leg.bye();
    this.end('bye');
  }

  private callB(answerOfA: SipResponse): void {
    this.setState('calling-b');
    let request: SipRequest;
    try {
      request = this.uac.createInvite(this.party(this.b));
    } catch (err) {
      this.abandonA();
      this.end(`B failed: ${(err as Error).message}`);
      return;
    }
    request.body = answerOfA.body;
    const type = answerOfA.get('Content-Type');
    if (type !== undefined) request.set('Content-Type', type);
    const invite = this.uac.invite(request, {});
    invite.on('success', (response, dialog) => {
      this.legB = dialog;
      this.watch(dialog, () => this.legA);
      this.legA!.sendAck({ body: response.body, ...(response.get('Content-Type') ? { contentType: response.get('Content-Type')! } : {}) });
      this.setState('connected');
    });
    invite.on('failure', (response) => {
      this.abandonA();
      this.end(`B ${response.status}`);
    });
  }

  /** A is waiting for its ACK: ACK (with no answer) and hang up, as RFC 3725 §4 advises. */
  private abandonA(): void {
    if (this.legA?.ackPending) this.legA.sendAck();
    if (this.legA !== undefined && !this.legA.isTerminated) this.legA.bye();
  }

  private watch(dialog: Dialog, other: () => Dialog | undefined): void {
    dialog.on('bye', () => {
      const peer = other();
      if (peer !== undefined && !peer.isTerminated) peer.bye();
      this.end('bye');
    });
  }

  private party(to: string): { to: string; from?: string } {
    return this.from === undefined ? { to } : { to, from: this.from };
  }

  private end(reason: string): void {
    if (this.state === 'terminated') return;
    this.setState('terminated');
    this.emit('ended', reason);
  }

  private setState(state: B2buaState): void {
    this.state = state;
    this.emit('state', state);
  }
}
