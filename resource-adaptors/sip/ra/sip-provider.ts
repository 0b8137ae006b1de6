import { NameAddr, type SipRequest, type SipUri } from '../message/index.js';
import type { NewRequestOptions } from '../stack/index.js';
import type { SipStack } from '../stack/index.js';
import type { MessageSource, TransportProtocol, TransportTarget } from '../transport/index.js';
import type { SipActivityHost } from './sip-activity-host.js';
import { ClientTransactionActivity } from './client-transaction-activity.js';
import { TransactionTimeoutEventType, responseEventType } from './sip-event-types.js';
import { B2buaActivity } from './b2bua-activity.js';

/**
 * What SBBs get for `@RaLink('sip')`: build and send requests (each a
 * client-transaction activity whose responses arrive as events), place
 * calls, and bridge calls. Answering and proxying go through the
 * ServerTransactionActivity an incoming request arrives on.
 */
export class SipProvider {
  constructor(private readonly host: SipActivityHost) {}

  get stack(): SipStack {
    return this.host.stack;
  }

  /** Whether a host (a Request-URI's, a From's) is one of this SLEE's domains or addresses. */
  isLocal(host: string, port?: number): boolean {
    return this.host.stack.isLocal(host, port);
  }

  /** RFC 5626: the Path URI (with a flow token) that brings requests back over the flow `source` names. */
  flowRoute(source: MessageSource): string {
    return this.host.stack.proxy.flowRoute(source).toString();
  }

  /** Where a `flowRoute` URI (or a Path value holding it) sends: its flow while open, 'failed' once closed, undefined for anything else. */
  flowTarget(route: string): TransportTarget | 'failed' | undefined {
    let uri: SipUri;
    try {
      uri = NameAddr.parseWithUri(route).uri;
    } catch {
      return undefined;
    }
    return this.host.stack.proxy.flowTarget(uri);
  }

  contact(transport: TransportProtocol = 'UDP'): NameAddr {
    return this.host.stack.contact(transport);
  }

  createRequest(method: string, options: NewRequestOptions): SipRequest {
    return this.host.stack.createRequest(method, options);
  }

  /** Sends a non-INVITE request; attach to the returned activity to receive its responses. */
  sendRequest(request: SipRequest, target?: TransportTarget): ClientTransactionActivity {
    const handle = this.host.nextHandle('ct');
    let activity: ClientTransactionActivity | null = null;
    const transaction = this.host.stack.sendRequest(request, {
      ...(target ? { target } : {}),
      onResponse: (response) => {
        if (!activity) return;
        const timedOut = response.status === 408 && transaction.terminationReason === 'timeout';
        if (timedOut) this.host.fire(handle, TransactionTimeoutEventType, { transaction: activity, request });
        else this.host.fire(handle, responseEventType(response.status), { response, transaction: activity, dialog: null });
        if (response.status >= 200) this.host.endActivity(handle);
      },
    });
    activity = new ClientTransactionActivity(handle, request, transaction, null);
    this.host.startActivity(handle, activity);
    return activity;
  }

  /**
   * Sends an INVITE. Responses arrive on the returned activity by class,
   * with the dialog activity they created (early or confirmed).
   */
  invite(request: SipRequest, options: { target?: TransportTarget; deferAck?: boolean } = {}): ClientTransactionActivity {
    const handle = this.host.nextHandle('ct');
    const invite = this.host.stack.invite(request, options);
    const activity = new ClientTransactionActivity(handle, request, invite.transaction, invite);
    this.host.startActivity(handle, activity);
    invite.on('provisional', (response, dialog) =>
      this.host.fire(handle, responseEventType(response.status), { response, transaction: activity, dialog: dialog ? this.host.dialogActivity(dialog) : null }),
    );
    invite.on('success', (response, dialog) =>
      this.host.fire(handle, responseEventType(response.status), { response, transaction: activity, dialog: this.host.dialogActivity(dialog) }),
    );
    invite.on('failure', (response) => {
      if (response.status === 408 && invite.transaction.terminationReason === 'timeout') {
        this.host.fire(handle, TransactionTimeoutEventType, { transaction: activity, request });
      } else this.host.fire(handle, responseEventType(response.status), { response, transaction: activity, dialog: null });
    });
    invite.on('terminated', () => this.host.endActivity(handle));
    return activity;
  }

  /** Third-party call control: calls `a`, then bridges it to `b` (click-to-dial). State changes arrive on the activity. */
  bridge(a: string, b: string, from?: string): B2buaActivity {
    return B2buaActivity.start(this.host, a, b, from);
  }
}
