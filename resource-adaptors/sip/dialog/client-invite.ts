import { EventEmitter } from 'node:events';
import type { SipRequest, SipResponse } from '../message/index.js';
import type { ClientTransaction, InviteClientTransaction } from '../transaction/index.js';
import type { DialogHost } from './dialog-host.js';
import { Dialog } from './dialog.js';
import { PrackTracker } from './reliable-provisional.js';

export interface ClientInviteEvents {
  /** 1xx; `dialog` is the early dialog when the response carried a To tag. */
  provisional: [response: SipResponse, dialog: Dialog | undefined];
  /** The first 2xx: the dialog is confirmed (and ACKed unless `deferAck`). */
  success: [response: SipResponse, dialog: Dialog];
  /** A non-2xx final response, real or synthesised (408 timeout, 503 transport error). */
  failure: [response: SipResponse];
  /** A 2xx from another fork after the first one: already ACKed and BYEd (§13.2.2.4). */
  'forked-success': [response: SipResponse, dialog: Dialog];
  /** The INVITE client transaction is gone; early dialogs that never confirmed ended with it. */
  terminated: [];
}

/** @internal How a ClientInvite registers the dialogs it creates. */
export interface DialogRegistry extends DialogHost<Dialog> {
  register(dialog: Dialog): void;
}

/**
 * A UAC INVITE and the dialogs it creates (RFC 3261 §13.2.2): one early
 * dialog per To tag from forking proxies, the first 2xx confirms one, any
 * later 2xx from another fork is ACKed and then ended with BYE.
 */
export class ClientInvite extends EventEmitter<ClientInviteEvents> {
  /** Early (and confirmed) dialogs by remote tag. */
  readonly dialogs = new Map<string, Dialog>();
  dialog?: Dialog;
  transaction!: InviteClientTransaction;
  private readonly forked = new Map<string, Dialog>();
  private readonly pracks = new PrackTracker();

  constructor(
    private readonly host: DialogRegistry,
    /** The INVITE sent; a session timer retry after 422 replaces it (RFC 4028 §7.3). */
    public request: SipRequest,
    private readonly deferAck: boolean,
  ) {
    super();
  }

  /** @internal Set by the DialogLayer once the transaction exists. */
  attach(tx: ClientTransaction, request: SipRequest): void {
    this.transaction = tx as InviteClientTransaction;
    this.request = request;
  }

  /** §9.1: CANCELs the INVITE (held until a provisional arrives); false once a final response came. */
  cancel(): boolean {
    return this.transaction.cancel();
  }

  /** @internal ClientTransactionOwner. */
  onResponse(response: SipResponse): void {
    const status = response.status;
    const tag = response.to.tag;
    if (status < 200) {
      let dialog: Dialog | undefined;
      if (status > 100 && tag !== undefined && this.dialog === undefined) dialog = this.earlyDialog(response, tag);
      if (dialog !== undefined && !this.prack(dialog, response)) return;
      this.safeEmit('provisional', response, dialog);
    } else if (status < 300) {
      this.success(response, tag ?? '');
    } else {
      for (const dialog of this.dialogs.values()) dialog.terminate('rejected');
      this.safeEmit('failure', response);
    }
  }

  /** @internal ClientTransactionOwner. */
  onTerminated(): void {
    for (const dialog of this.dialogs.values()) if (dialog.state === 'early') dialog.terminate('rejected');
    this.safeEmit('terminated');
  }

  /** RFC 3262 §4: PRACKs a new reliable provisional; false for one to drop (retransmitted or out of order). */
  private prack(dialog: Dialog, response: SipResponse): boolean {
    const rseq = this.pracks.classify(response, dialog.remoteTag);
    if (rseq === 'drop') return false;
    if (rseq !== undefined) {
      try {
        dialog.sendRequest('PRACK', { headers: { RAck: `${rseq} ${response.cseq.seq} ${response.cseq.method}` } });
      } catch (err) {
        this.host.reportError(err);
      }
    }
    return true;
  }

  private earlyDialog(response: SipResponse, tag: string): Dialog {
    let dialog = this.dialogs.get(tag);
    if (dialog === undefined) {
      dialog = Dialog.forUac(this.host, this.request, response, 'early');
      this.dialogs.set(tag, dialog);
      this.host.register(dialog);
    }
    return dialog;
  }

  private success(response: SipResponse, tag: string): void {
    const seq = this.request.cseq.seq;
    if (this.dialog === undefined) {
      const dialog = this.dialogs.get(tag) ?? Dialog.forUac(this.host, this.request, response, 'confirmed');
      if (!this.dialogs.has(tag)) {
        this.dialogs.set(tag, dialog);
        this.host.register(dialog);
      }
      dialog.updateFromSuccess(response);
      this.dialog = dialog;
      dialog.confirm();
      dialog.handleInviteSuccess(seq, this.deferAck);
      this.safeEmit('success', response, dialog);
      return;
    }
    if (tag === this.dialog.remoteTag) {
      this.dialog.handleInviteSuccess(seq, this.deferAck);
      return;
    }
    const known = this.forked.get(tag);
    if (known !== undefined) {
      known.handleInviteSuccess(seq, false);
      return;
    }
    const early = this.dialogs.get(tag);
    const dialog = Dialog.forUac(this.host, this.request, response, 'confirmed');
    if (early !== undefined) early.terminate('forked');
    this.forked.set(tag, dialog);
    this.host.register(dialog);
    dialog.handleInviteSuccess(seq, false);
    try {
      dialog.bye();
    } catch (err) {
      this.host.reportError(err);
    }
    this.safeEmit('forked-success', response, dialog);
  }

  private safeEmit<K extends keyof ClientInviteEvents>(event: K, ...args: ClientInviteEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: ClientInviteEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.host.reportError(err);
    }
  }
}
