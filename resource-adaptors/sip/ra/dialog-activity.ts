import type { SipRequest } from '../message/index.js';
import type { Dialog, InDialogRequestOptions, SendInDialogOptions } from '../dialog/index.js';
import type { ClientTransaction } from '../transaction/index.js';

/**
 * A SIP dialog as a SLEE activity: in-dialog requests and responses arrive
 * on it, and it ends when the dialog terminates (DialogTerminated first).
 */
export class DialogActivity {
  constructor(
    readonly handle: string,
    readonly dialog: Dialog,
  ) {}

  get id(): string {
    return this.dialog.id;
  }

  get state(): Dialog['state'] {
    return this.dialog.state;
  }

  get callId(): string {
    return this.dialog.callId;
  }

  /** Sends an in-dialog request; its responses arrive on this activity. */
  sendRequest(method: string, options: SendInDialogOptions = {}): ClientTransaction {
    return this.dialog.sendRequest(method, options);
  }

  bye(options: InDialogRequestOptions = {}): ClientTransaction {
    return this.dialog.bye(options);
  }

  /** Sends the deferred ACK of a late-offer 2xx, with the answer as its body. */
  sendAck(options: InDialogRequestOptions = {}): SipRequest {
    return this.dialog.sendAck(options);
  }
}
