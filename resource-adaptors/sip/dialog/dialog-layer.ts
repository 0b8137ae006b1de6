import { EventEmitter } from 'node:events';
import type { Clock } from '../../../base/clock/clock.js';
import { generateTag, type NameAddr, type SipRequest, type SipResponse } from '../message/index.js';
import type { ServerTransaction, TimerSettings, TransactionLayer } from '../transaction/index.js';
import type { TransportProtocol, TransportTarget } from '../transport/transport-types.js';
import { buildResponse, type ResponseOptions } from './build-response.js';
import { ClientInvite, type DialogRegistry } from './client-invite.js';
import { dialogKey } from './dialog-key.js';
import { Dialog, type DialogSnapshot } from './dialog.js';
import { nextHopForRequest } from '../transport/next-hop.js';
import { SessionTimers, type SessionTimerOptions } from './session-timer.js';

export interface DialogLayerOptions {
  transactions: TransactionLayer;
  /** Our Contact for a transport (the stack derives it from its listen points). */
  localContact: (transport: TransportProtocol) => NameAddr;
  /** Exceptions thrown by application listeners; the layer keeps running. */
  onError?: (err: unknown) => void;
  /** RFC 4028 session timers for every INVITE dialog; off when absent. */
  sessionTimers?: SessionTimerOptions;
}

export interface DialogLayerEvents {
  /** Every dialog created (UAC early/confirmed, UAS early/confirmed). */
  dialog: [dialog: Dialog];
  /** A CANCEL matched an INVITE we were answering: already answered 200, and the INVITE 487. */
  cancel: [invite: ServerTransaction, cancel: SipRequest, dialog: Dialog | undefined];
}

export interface InviteOptions {
  /** Next hop; defaults to the first Route or the Request-URI. */
  target?: TransportTarget;
  /** Leave the ACK of the 2xx to `dialog.sendAck()` (late offer: the ACK carries the answer). */
  deferAck?: boolean;
}

/**
 * RFC 3261 §12-15 over the transaction layer: creates dialogs from INVITEs
 * sent (`invite`) or answered (`answer`), matches in-dialog requests, ACKs
 * and 2xx retransmissions to them, and answers CANCEL for INVITEs it serves.
 * The SipStack routes to it; nothing here is global.
 */
export class DialogLayer extends EventEmitter<DialogLayerEvents> implements DialogRegistry {
  readonly transactions: TransactionLayer;
  private readonly dialogs = new Map<string, Dialog>();
  private readonly uasDialogs = new WeakMap<ServerTransaction, Dialog>();
  private readonly contact: (transport: TransportProtocol) => NameAddr;
  private readonly onError: (err: unknown) => void;
  readonly sessionTimers: SessionTimers | undefined;

  constructor(options: DialogLayerOptions) {
    super();
    this.transactions = options.transactions;
    this.sessionTimers = options.sessionTimers === undefined ? undefined : new SessionTimers(options.transactions.clock, options.sessionTimers);
    this.contact = options.localContact;
    this.onError = options.onError ?? (() => undefined);
  }

  get clock(): Clock {
    return this.transactions.clock;
  }

  get timers(): TimerSettings {
    return this.transactions.timers;
  }

  get size(): number {
    return this.dialogs.size;
  }

  localContact(transport: TransportProtocol): NameAddr {
    return this.contact(transport);
  }

  find(callId: string, localTag: string, remoteTag: string): Dialog | undefined {
    return this.dialogs.get(dialogKey(callId, localTag, remoteTag));
  }

  /** Sends a dialog-creating INVITE (with a From tag) in a new client transaction. */
  invite(request: SipRequest, options: InviteOptions = {}): ClientInvite {
    const invite = new ClientInvite(this, request, options.deferAck ?? false);
    const policy = this.sessionTimers;
    if (policy !== undefined) {
      policy.offer(request);
      invite.on('success', (response, dialog) => policy.established(dialog, invite.request, response));
    }
    const target = options.target ?? nextHopForRequest(request);
    let retried = false;
    const send = (outgoing: SipRequest): void => {
      const tx = this.transactions.createClientTransaction(outgoing, target, {
        onResponse: (response) => {
          // RFC 4028 §7.3: one retry asking for the Min-SE the 422 names; the application sees only its outcome.
          const retry = response.status === 422 && !retried ? policy?.retryAfter422(outgoing, response) : undefined;
          if (retry === undefined) invite.onResponse(response);
          else {
            retried = true;
            send(retry);
          }
        },
        onTerminated: () => {
          if (invite.transaction === tx) invite.onTerminated();
        },
      });
      invite.attach(tx, outgoing);
    };
    send(request);
    return invite;
  }

  /**
   * The UAS dialog an INVITE (or other dialog-creating request) would
   * create, in the early state with a fresh local tag; the same one on
   * repeated calls for one transaction.
   */
  uasDialog(tx: ServerTransaction): Dialog {
    let dialog = this.uasDialogs.get(tx);
    if (dialog === undefined) {
      dialog = Dialog.forUas(this, tx.request, generateTag(), 'early');
      this.uasDialogs.set(tx, dialog);
      this.register(dialog);
    }
    return dialog;
  }

  /**
   * Answers a request outside a dialog. 1xx (but 100) and 2xx to INVITE
   * go through its dialog (created on first use); anything else is a
   * plain response with a To tag.
   */
  answer(tx: ServerTransaction, status: number, options: ResponseOptions = {}): SipResponse {
    if (tx.request.method === 'INVITE' && status > 100 && (status < 300 || this.uasDialogs.has(tx))) {
      return this.uasDialog(tx).respond(tx, status, options);
    }
    const response = this.plainResponse(tx, status, options);
    tx.respond(response);
    return response;
  }

  /** The response `answer()` sends outside a dialog, built but not sent: a non-INVITE request's, or a final one to an INVITE without an early dialog. */
  plainResponse(tx: ServerTransaction, status: number, options: ResponseOptions = {}): SipResponse {
    return buildResponse(tx.request, status, { toTag: generateTag(), ...options });
  }

  /**
   * Rebuilds a confirmed dialog another stack snapshotted (`Dialog.snapshot()`),
   * e.g. on a cluster node taking over a call; in-dialog requests match it
   * from now on. The one held already if its id is taken.
   */
  restore(snapshot: DialogSnapshot): Dialog {
    const held = this.find(snapshot.callId, snapshot.localTag, snapshot.remoteTag);
    if (held !== undefined) return held;
    const dialog = Dialog.fromSnapshot(this, snapshot);
    this.register(dialog);
    return dialog;
  }

  /** A request with a To tag: true when it matched a dialog (which then handles it). */
  handleRequest(tx: ServerTransaction, request: SipRequest): boolean {
    const localTag = request.to.tag;
    if (localTag === undefined) return false;
    const dialog = this.find(request.callId, localTag, request.from.tag ?? '');
    if (dialog === undefined) return false;
    dialog.receiveRequest(request, tx);
    return true;
  }

  /** An ACK for a 2xx: true when it matched a dialog. */
  handleAck(ack: SipRequest): boolean {
    const dialog = this.find(ack.callId, ack.to.tag ?? '', ack.from.tag ?? '');
    if (dialog === undefined) return false;
    dialog.receiveAck(ack);
    return true;
  }

  /**
   * §9.2 for INVITEs this UA serves: CANCEL gets 200 and, while the INVITE
   * is unanswered, the INVITE gets 487. False when no INVITE matches (481 is the caller's).
   */
  handleCancel(tx: ServerTransaction, cancel: SipRequest): boolean {
    const invite = this.transactions.findInviteForCancel(cancel);
    if (invite === undefined) return false;
    const dialog = this.uasDialogs.get(invite);
    tx.respond(buildResponse(cancel, 200, { toTag: dialog?.localTag ?? generateTag() }));
    if (invite.state !== 'Proceeding') return true;
    if (dialog !== undefined) dialog.respond(invite, 487);
    else invite.respond(buildResponse(invite.request, 487, { toTag: generateTag() }));
    try {
      this.emit('cancel', invite, cancel, dialog);
    } catch (err) {
      this.onError(err);
    }
    return true;
  }

  /** A 2xx to INVITE after its transaction ended: the dialog re-sends its ACK. */
  handleStrayResponse(response: SipResponse): boolean {
    if (response.cseq.method !== 'INVITE' || response.status < 200 || response.status >= 300) return false;
    const dialog = this.find(response.callId, response.from.tag ?? '', response.to.tag ?? '');
    if (dialog === undefined) return false;
    dialog.handleInviteSuccess(response.cseq.seq, false);
    return true;
  }

  /** Ends every dialog locally (no BYE). */
  close(): void {
    for (const dialog of [...this.dialogs.values()]) dialog.terminate('closed');
  }

  /** @internal DialogRegistry. */
  register(dialog: Dialog): void {
    this.dialogs.set(dialog.id, dialog);
    try {
      this.emit('dialog', dialog);
    } catch (err) {
      this.onError(err);
    }
  }

  /** @internal DialogHost. */
  forget(dialog: Dialog): void {
    if (this.dialogs.get(dialog.id) === dialog) this.dialogs.delete(dialog.id);
  }

  /** @internal DialogHost. */
  reportError(err: unknown): void {
    this.onError(err);
  }
}
