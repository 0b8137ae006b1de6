import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { Dialog } from '../dialog/index.js';
import type { SipRequest } from '../message/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import { carriedContent } from './carried-content.js';

/** A request taken from one leg and sent on the other, whose far answer becomes the near one's. */
interface Relayed {
  near: Dialog;
  tx: ServerTransaction;
}

/**
 * Relays in-dialog requests between the two legs of a bridge: a re-INVITE,
 * UPDATE, INFO (or any other but PRACK, ACK and BYE, which the dialog layer
 * handles) on one leg goes out on the other, and the far leg's final
 * answer becomes the near one's (an SDP answer in a 2xx included). The
 * dialog layer keeps RFC 3261 §14 per leg: a re-INVITE that meets one
 * pending on the far leg gets 491 here, and the far leg's own 491 is
 * retried by it after the §14.1 delay. REFER goes across only when asked:
 * a B2BUA that passes it on lets the caller send the callee anywhere, so
 * by default it is refused 403 (we implement REFER, we decline to relay it).
 */
export class InDialogRelay {
  private readonly pending = new Set<Relayed>();
  private readonly attached = new WeakSet<Dialog>();

  constructor(
    /** The leg a request on `dialog` goes to (none yet while only one side exists). */
    private readonly peerOf: (dialog: Dialog) => Dialog | undefined,
    private readonly relayRefer: boolean,
    private readonly reportError: (err: unknown) => void,
  ) {}

  /** Relays the dialog's requests, and the ACK of a late offer's answer, to its peer. */
  attach(dialog: Dialog): void {
    if (this.attached.has(dialog)) return;
    this.attached.add(dialog);
    dialog.on('request', (request, tx) => this.relay(dialog, request, tx));
    dialog.on('ack', (ack) => {
      // A 2xx we relayed carried the far leg's offer: the far leg's ACK waits for this one's answer.
      const far = this.peerOf(dialog);
      if (far?.ackPending === true) far.sendAck(carriedContent(ack));
    });
  }

  /**
   * The bridge is ending: every relayed request still unanswered gets 487
   * (§15.1.2: a request pending when its dialog ends is terminated); the
   * far answers that may still come are dropped.
   */
  abort(): void {
    for (const relayed of this.pending) this.answer(relayed, 487);
    this.pending.clear();
  }

  private relay(near: Dialog, request: SipRequest, tx: ServerTransaction): void {
    if (request.method === 'REFER' && !this.relayRefer) {
      this.safely(() => near.respond(tx, 403, { reason: 'Forbidden - REFER is not relayed' }));
      return;
    }
    const far = this.peerOf(near);
    if (far === undefined || far.isTerminated) {
      this.safely(() => near.respond(tx, 480, { reason: 'Temporarily Unavailable - no other leg yet' }));
      return;
    }
    const relayed: Relayed = { near, tx };
    this.pending.add(relayed);
    try {
      far.sendRequest(request.method, {
        ...carriedContent(request),
        // A re-INVITE without an offer gets the offer in the far 2xx; the far ACK then carries the near ACK's answer.
        deferAck: request.method === 'INVITE' && request.body.length === 0,
        onResponse: (response) => {
          if (response.status < 200 || !this.pending.delete(relayed)) return;
          this.answer(relayed, response.status, { reason: response.reason, ...carriedContent(response) });
        },
      });
    } catch (err) {
      this.pending.delete(relayed);
      if (SleetError.is(err, ErrorCode.SIP_REINVITE_PENDING)) this.answer(relayed, 491);
      else {
        this.answer(relayed, 500);
        this.reportError(err);
      }
    }
  }

  private answer({ near, tx }: Relayed, status: number, options: Parameters<Dialog['respond']>[2] = {}): void {
    if (tx.awaitingFinal) this.safely(() => near.respond(tx, status, options));
  }

  private safely(send: () => unknown): void {
    try {
      send();
    } catch (err) {
      this.reportError(err);
    }
  }
}
