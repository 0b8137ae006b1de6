import { generateTag } from '../message/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import type { Dialog } from '../dialog/index.js';
import { buildResponse, type ResponseOptions } from '../dialog/index.js';

/** An in-dialog request an SBB must answer (re-INVITE, UPDATE, INFO, MESSAGE, REFER...). */
export class InDialogRequest {
  constructor(
    readonly request: SipRequest,
    private readonly transaction: ServerTransaction,
    private readonly dialog: Dialog,
    /** True for a request the stack answered itself (a PRACK, RFC 3262): the SBB is told, not asked. */
    private answered = false,
  ) {}

  get isAnswered(): boolean {
    return this.answered;
  }

  respond(status: number, options: ResponseOptions = {}): SipResponse {
    const response = this.dialog.respond(this.transaction, status, options);
    if (status >= 200) this.answered = true;
    return response;
  }

  /** @internal Used when no SBB answered: a plain final response. */
  respondDefault(status: number, reason: string): void {
    if (this.answered || this.transaction.isTerminated) return;
    this.answered = true;
    this.transaction.respond(buildResponse(this.request, status, { reason, toTag: this.request.to.tag ?? generateTag() }));
  }
}
