import type { EventType } from '../../../slee/component-model/event-type.js';
import type { ResourceAdaptorContext } from '../../../slee/resource-adaptor/resource-adaptor-context.js';
import type { SipStack } from '../stack/index.js';
import type { Dialog } from '../dialog/index.js';
import type { SipActivityHost } from './sip-activity-host.js';
import type { DialogActivity } from './dialog-activity.js';
import { DialogActivities } from './dialog-activities.js';
import type { NotifierSubscription } from '../subscription/index.js';
import type { SipRequest } from '../message/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import { SubscriptionActivity } from './subscription-activity.js';
import { SubscriptionRefreshedEventType, SubscriptionTerminatedEventType } from './sip-event-types.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import type { SleeTransaction } from '../../../slee/transaction/slee-transaction.js';

/** The SIP activities' way into the SLEE: handles, and start, fire and end through the adaptor's endpoint. */
export class SipActivityEndpoint implements SipActivityHost {
  private handles = 0;
  private readonly dialogs: DialogActivities;

  constructor(
    private readonly stackOf: () => SipStack,
    private readonly contextOf: () => ResourceAdaptorContext | null,
    onDialog: () => void,
  ) {
    this.dialogs = new DialogActivities(this, onDialog);
  }

  get stack(): SipStack {
    return this.stackOf();
  }

  nextHandle(prefix: string): string {
    return `${prefix}-${++this.handles}`;
  }

  startActivity(handle: string, activity: object): void {
    this.endpoint().startActivity(handle, activity);
  }

  fire<E>(
    handle: string,
    type: EventType<E>,
    event: E,
    address?: string,
    onProcessed?: (failed: boolean, delivered: number, answeredBy?: string) => void,
    answered?: () => boolean,
  ): void {
    // A late message (the 200 to a BYE) may arrive after its activity ended: nobody is left to tell.
    if (!this.endpoint().isActive(handle)) {
      onProcessed?.(false, 0);
      return;
    }
    try {
      // One shape for every event: the SLEE reads these fields on each one.
      this.endpoint().fireEvent(handle, type, event, { address, onProcessed, answered });
    } catch (err) {
      this.contextOf()?.tracer.warning(`could not fire ${type.name} on ${handle}`, err);
      onProcessed?.(true, 0);
    }
  }

  endActivity(handle: string): void {
    const endpoint = this.endpoint();
    if (endpoint.isActive(handle)) endpoint.endActivity(handle);
  }

  deliveryTransaction(handle: string): SleeTransaction | undefined {
    return this.contextOf()?.endpoint.deliveryTransaction(handle);
  }

  get clustered(): boolean {
    return this.contextOf()?.endpoint.clustered === true;
  }

  replicate(handle: string, state: () => unknown): Promise<void> {
    return this.endpoint().replicateActivity(handle, state);
  }

  adopt(handle: string, rebuild: (state: unknown) => object | null): Promise<boolean> {
    return this.endpoint().adoptActivity(handle, rebuild);
  }

  warn(message: string, err: unknown): void {
    this.contextOf()?.tracer.warning(message, err);
  }

  /** The stack's hook for an in-dialog request of no dialog held here: in a cluster, the dialog is taken over from the store. */
  takeOverDialog(request: SipRequest, tx: ServerTransaction): boolean {
    return this.dialogs.takeOver(request, tx);
  }

  /** In a cluster: a dialog another node replicated, recreated to take it over by id (see ResourceAdaptor.recreateActivity). */
  recreateActivity(handle: string, state: unknown): DialogActivity | null {
    return this.dialogs.recreate(handle, state);
  }

  activityAdopted(handle: string): void {
    this.dialogs.adopted(handle);
  }

  dialogActivity(dialog: Dialog): DialogActivity {
    return this.dialogs.activityFor(dialog);
  }

  subscriptionActivity(subscription: NotifierSubscription, request: SipRequest): SubscriptionActivity {
    const activity = new SubscriptionActivity(this.nextHandle('sub'), subscription, request);
    this.startActivity(activity.handle, activity);
    subscription.on('refreshed', (expires, refresh) =>
      this.fire(activity.handle, SubscriptionRefreshedEventType, { subscription: activity, expires, request: refresh }),
    );
    subscription.on('terminated', (reason) => {
      this.fire(activity.handle, SubscriptionTerminatedEventType, { subscription: activity, reason });
      this.endActivity(activity.handle);
    });
    return activity;
  }

  private endpoint() {
    const context = this.contextOf();
    if (!context) throw new SleetError(ErrorCode.INVALID_STATE, 'the SIP resource adaptor has no SLEE context yet');
    return context.endpoint;
  }
}
