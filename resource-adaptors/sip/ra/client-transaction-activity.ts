import type { SipRequest } from '../message/index.js';
import type { ClientTransaction } from '../transaction/index.js';
import type { ClientInvite } from '../dialog/index.js';

/** A request this SLEE sent (with its client transaction) as an activity; responses arrive on it by class. */
export class ClientTransactionActivity {
  constructor(
    readonly handle: string,
    readonly request: SipRequest,
    readonly transaction: ClientTransaction,
    /** For INVITE: the dialog-aware view (early dialogs, forks). */
    readonly invite: ClientInvite | null,
  ) {}

  get method(): string {
    return this.request.method;
  }

  /** CANCELs a pending INVITE (sent once a provisional response arrived). */
  cancel(): boolean {
    return this.invite ? this.invite.cancel() : false;
  }
}
