import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import type { SipRequest, SipResponse, SipUri } from '../message/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import type { ResponseOptions } from '../dialog/index.js';
import type { ProxyOptions, ProxyTarget } from '../proxy/index.js';
import type { SipActivityHost } from './sip-activity-host.js';
import type { DialogActivity } from './dialog-activity.js';
import { ProxyOperation } from './proxy-operation.js';
import {
  BridgeAnsweredEventType,
  BridgeEndedEventType,
  BridgeFailedEventType,
  ProxyBranchResponseEventType,
  ProxyFinalResponseEventType,
} from './sip-event-types.js';
import { B2buaBridge } from '../b2bua/index.js';
import { eventHeaderOf, NotifierSubscription, type AcceptSubscriptionOptions } from '../subscription/index.js';
import { declaredEventPackages } from './sip-event-packages.js';
import type { SubscriptionActivity } from './subscription-activity.js';
import { BridgeActivity, type BridgeRequestOptions } from './bridge-activity.js';
import type { SleeTransaction } from '../../../slee/transaction/slee-transaction.js';

export interface ProxyRequestOptions {
  /** Insert Record-Route so ACK, BYE and re-INVITEs come back through this SLEE (default true). */
  recordRoute?: boolean;
  /** Fork to all targets at once (default) or in q-value order. */
  parallel?: boolean;
  timerC?: number;
  /** Fire ProxyFinalResponse on this activity and wait for the SBB before sending the best final response upstream. */
  holdFinalResponse?: boolean;
  /** Fire ProxyBranchResponse for every branch response. */
  branchEvents?: boolean;
}

/** An incoming out-of-dialog request and its server transaction, as a SLEE activity. */
export class ServerTransactionActivity {
  private final = false;
  private cancelled = false;
  private proxying: ProxyOperation | null = null;
  private bridging: BridgeActivity | null = null;

  constructor(
    readonly handle: string,
    readonly request: SipRequest,
    readonly transaction: ServerTransaction,
    private readonly host: SipActivityHost,
  ) {}

  get method(): string {
    return this.request.method;
  }

  /** True once a final response was sent, the request was proxied, or the caller cancelled it. */
  get isAnswered(): boolean {
    return this.final || this.cancelled || this.proxying !== null || this.bridging !== null || this.transaction.isTerminated;
  }

  /** True when the caller's CANCEL ended it (the stack already answered 487). */
  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** @internal The stack answered a CANCEL for this INVITE. */
  markCancelled(): void {
    this.cancelled = true;
  }

  get proxy(): ProxyOperation | null {
    return this.proxying;
  }

  /**
   * Sends a response. A 1xx/2xx to INVITE creates the UAS dialog: use
   * `answer()` to get its activity. A final response to another method,
   * given in an SBB handler on this activity's event, leaves when that
   * handler's transaction commits, so a 200 is never sent for work that was
   * rolled back (the caller then gets the 500 of a failed service, or the
   * answer of the retried handler). An INVITE's is sent at once: its dialog
   * and the ACK's matching are built on it.
   */
  respond(status: number, options: ResponseOptions = {}): SipResponse {
    this.assertOpen();
    const tx = status >= 200 && this.request.method !== 'INVITE' ? this.host.deliveryTransaction(this.handle) : undefined;
    if (tx !== undefined) return this.respondOnCommit(tx, status, options);
    const response = this.host.stack.dialogs.answer(this.transaction, status, options);
    if (status >= 200) this.answered();
    return response;
  }

  private respondOnCommit(tx: SleeTransaction, status: number, options: ResponseOptions): SipResponse {
    const response = this.host.stack.dialogs.plainResponse(this.transaction, status, options);
    // Answered from now on for the services after this one; undone if the handler's work is.
    this.final = true;
    tx.enlist({
      commit: () => {
        try {
          this.transaction.respond(response);
        } catch (err) {
          this.host.warn(`could not send the ${status} to ${this.request.method} ${this.request.callId}`, err);
        }
        this.answered();
      },
      rollback: () => (this.final = false),
    });
    return response;
  }

  /**
   * Nothing more can happen on the request once it has its final response: retransmissions and the ACK of a
   * non-2xx are the stack's, a 2xx's dialog is its own activity. Ending now rather than when the transaction
   * terminates (Timer J, or Timer L for INVITE, 32 s later on UDP) frees its SBB entities and events (heap profiles under load).
   */
  private answered(): void {
    this.final = true;
    this.host.endActivity(this.handle);
  }

  /** Answers an INVITE and returns the dialog activity (ACK, BYE and re-INVITEs arrive on it). */
  answer(status: number, options: ResponseOptions = {}): DialogActivity {
    if (this.request.method !== 'INVITE' || status < 101 || status >= 300) {
      throw new SleetError(ErrorCode.SIP_DIALOG, `answer() creates a dialog: it takes a 101-299 response to INVITE, not ${status} to ${this.request.method}`);
    }
    // Before the dialog: an answered transaction has let go of the request the dialog is built from.
    this.assertOpen();
    const dialog = this.host.dialogActivity(this.host.stack.dialogs.uasDialog(this.transaction));
    this.respond(status, options);
    return dialog;
  }

  /**
   * Accepts a SUBSCRIBE (RFC 6665): answers it 200 (or 202) with the expiry
   * granted, sends the first NOTIFY with `options.body`, and returns the
   * subscription's activity. The package must be one an SBB declared with
   * `@SipEventPackages`; throws SIP_DIALOG otherwise, or for another method.
   */
  acceptSubscription(options: AcceptSubscriptionOptions = {}): SubscriptionActivity {
    const event = this.request.method === 'SUBSCRIBE' ? eventHeaderOf(this.request) : undefined;
    if (event === undefined)
      throw new SleetError(ErrorCode.SIP_DIALOG, `acceptSubscription() takes a SUBSCRIBE with an Event header, not ${this.request.method}`);
    if (!declaredEventPackages().has(event.package)) {
      throw new SleetError(ErrorCode.SIP_DIALOG, `event package '${event.package}' is not declared by any SBB (@SipEventPackages)`);
    }
    this.assertOpen();
    const subscription = NotifierSubscription.accept(this.host.stack.dialogs, this.transaction, options);
    this.final = true;
    const activity = this.host.subscriptionActivity(subscription, this.request);
    this.host.endActivity(this.handle);
    return activity;
  }

  /** Proxies the request statefully (RFC 3261 §16) to the targets. */
  proxyTo(targets: Array<SipUri | string | ProxyTarget>, options: ProxyRequestOptions = {}): ProxyOperation {
    this.assertOpen();
    const list: ProxyTarget[] = targets.map((t) => (typeof t === 'string' || !('uri' in t) ? { uri: t } : t));
    let operation: ProxyOperation | null = null;
    // One literal with every option, so that the proxy core reads options of one shape.
    const onBranchResponse: ProxyOptions['onBranchResponse'] = options.branchEvents
      ? (_branch, response, ctx) =>
          this.host.fire(this.handle, ProxyBranchResponseEventType, {
            response,
            transaction: this,
            branchStatuses: ctx.branches.map((b) => b.finalStatus),
          })
      : undefined;
    const onFinalResponse: ProxyOptions['onFinalResponse'] = options.holdFinalResponse
      ? (response, ctx) => {
          ctx.hold();
          this.host.fire(
            this.handle,
            ProxyFinalResponseEventType,
            { response, transaction: this, branchStatuses: ctx.branches.map((b) => b.finalStatus) },
            undefined,
            () => operation?.release(),
          );
        }
      : undefined;
    operation = new ProxyOperation((keepFinal) =>
      this.host.stack.proxy.proxyTo(this.transaction, list, {
        recordRoute: options.recordRoute,
        parallel: options.parallel,
        timerC: options.timerC,
        onBranchResponse,
        onFinalResponse,
        onCompleted: (response) => {
          keepFinal(response);
          // As in respond(): a proxied request is over once its final response went upstream (later 2xx from other forks are relayed by the core).
          this.host.endActivity(this.handle);
        },
      }),
    );
    this.proxying = operation;
    return operation;
  }

  /**
   * B2BUA: bridges this INVITE to outbound legs, one per target (in
   * parallel unless `forking: 'serial'`, each CANCELled after
   * `ringTimeout` ms), the first 2xx winning. Attach to the returned
   * activity for `BridgeAnswered`, `BridgeFailed` and `BridgeEnded`;
   * everything between the legs (provisionals, re-INVITE, UPDATE, INFO,
   * CANCEL, BYE) is relayed by the stack.
   */
  bridgeTo(targets: readonly string[], options: BridgeRequestOptions = {}): BridgeActivity {
    if (this.request.method !== 'INVITE') throw new SleetError(ErrorCode.SIP_B2BUA, `bridgeTo() takes an INVITE, not ${this.request.method}`);
    this.assertOpen();
    const host = this.host;
    const bridge = new B2buaBridge(host.stack, this.transaction, { ...options, targets }, (err) => host.warn('B2BUA bridge', err));
    const activity = new BridgeActivity(host.nextHandle('bridge'), bridge);
    host.startActivity(activity.handle, activity);
    // As after respond(): once the caller has its final response, this request is over.
    bridge.on('answered', (response, outbound) => {
      host.endActivity(this.handle);
      host.fire(activity.handle, BridgeAnsweredEventType, { bridge: activity, response, callee: outbound.remoteUri.uri.toString() });
    });
    bridge.on('failed', (status, reason) => {
      host.endActivity(this.handle);
      host.fire(activity.handle, BridgeFailedEventType, { bridge: activity, status, reason });
      host.endActivity(activity.handle);
    });
    bridge.on('ended', (end) => {
      host.fire(activity.handle, BridgeEndedEventType, { bridge: activity, by: end.by, reason: end.reason });
      host.endActivity(activity.handle);
    });
    this.bridging = activity;
    bridge.start();
    return this.bridging;
  }

  /**
   * What the caller or the network ended meanwhile (after an SBB's `await`) refuses with ANSWERED_MEANWHILE,
   * which stops the handler cleanly; answering twice is the SBB's own mistake, and fails it.
   */
  private assertOpen(): void {
    if (this.cancelled) throw new SleetError(ErrorCode.ANSWERED_MEANWHILE, `${this.request.method} was cancelled by the caller`);
    if (this.transaction.isTerminated && !this.final && !this.proxying) {
      throw new SleetError(ErrorCode.ANSWERED_MEANWHILE, `the transaction of ${this.request.method} has ended`);
    }
    if (this.final) throw new SleetError(ErrorCode.SIP_TRANSACTION, `${this.request.method} was already answered with a final response`);
    if (this.proxying) throw new SleetError(ErrorCode.SIP_TRANSACTION, `${this.request.method} is being proxied; use the proxy operation`);
    if (this.bridging) throw new SleetError(ErrorCode.SIP_TRANSACTION, `${this.request.method} is bridged; use the bridge activity`);
  }
}
