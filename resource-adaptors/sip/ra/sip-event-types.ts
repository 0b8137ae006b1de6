import { defineEventType, type EventType } from '../../../slee/component-model/event-type.js';
import type {
  B2buaStateChangedEvent,
  BridgeAnsweredEvent,
  BridgeEndedEvent,
  BridgeFailedEvent,
  DialogAckOrByeEvent,
  DialogRequestEvent,
  DialogTerminatedEvent,
  ProxyResponseEvent,
  SipRequestEvent,
  SipResponseEvent,
  SubscriptionRefreshedEvent,
  SubscriptionTerminatedEvent,
  TransactionTimeoutEvent,
} from './sip-events.js';

const VENDOR = { vendor: 'sleet', version: '1.0' };

/**
 * One event type per request method: an SBB handles INVITE with
 * `onInvite(event, aci)`. Spelled out, so the SDK's static analysis sees
 * every short name.
 */
export const SipRequestEvents = {
  INVITE: defineEventType<SipRequestEvent>('sip.request.INVITE', { ...VENDOR, short: 'Invite' }),
  ACK: defineEventType<SipRequestEvent>('sip.request.ACK', { ...VENDOR, short: 'Ack' }),
  BYE: defineEventType<SipRequestEvent>('sip.request.BYE', { ...VENDOR, short: 'Bye' }),
  CANCEL: defineEventType<SipRequestEvent>('sip.request.CANCEL', { ...VENDOR, short: 'Cancel' }),
  OPTIONS: defineEventType<SipRequestEvent>('sip.request.OPTIONS', { ...VENDOR, short: 'Options' }),
  REGISTER: defineEventType<SipRequestEvent>('sip.request.REGISTER', { ...VENDOR, short: 'Register' }),
  MESSAGE: defineEventType<SipRequestEvent>('sip.request.MESSAGE', { ...VENDOR, short: 'Message' }),
  INFO: defineEventType<SipRequestEvent>('sip.request.INFO', { ...VENDOR, short: 'Info' }),
  UPDATE: defineEventType<SipRequestEvent>('sip.request.UPDATE', { ...VENDOR, short: 'Update' }),
  PRACK: defineEventType<SipRequestEvent>('sip.request.PRACK', { ...VENDOR, short: 'Prack' }),
  SUBSCRIBE: defineEventType<SipRequestEvent>('sip.request.SUBSCRIBE', { ...VENDOR, short: 'Subscribe' }),
  NOTIFY: defineEventType<SipRequestEvent>('sip.request.NOTIFY', { ...VENDOR, short: 'Notify' }),
  REFER: defineEventType<SipRequestEvent>('sip.request.REFER', { ...VENDOR, short: 'Refer' }),
  PUBLISH: defineEventType<SipRequestEvent>('sip.request.PUBLISH', { ...VENDOR, short: 'Publish' }),
} as const;

/** Requests with a method not listed above (`onExtensionRequest`). */
export const ExtensionRequestEvent = defineEventType<SipRequestEvent>('sip.request.extension', { ...VENDOR, short: 'ExtensionRequest' });

/**
 * Requests inside a dialog, on the dialog's activity, one event type per
 * method as out of dialog but prefixed: a re-INVITE is `onDialogInvite(event, aci)`.
 */
export const SipDialogRequestEvents = {
  INVITE: defineEventType<DialogRequestEvent>('sip.dialog.INVITE', { ...VENDOR, short: 'DialogInvite' }),
  OPTIONS: defineEventType<DialogRequestEvent>('sip.dialog.OPTIONS', { ...VENDOR, short: 'DialogOptions' }),
  MESSAGE: defineEventType<DialogRequestEvent>('sip.dialog.MESSAGE', { ...VENDOR, short: 'DialogMessage' }),
  INFO: defineEventType<DialogRequestEvent>('sip.dialog.INFO', { ...VENDOR, short: 'DialogInfo' }),
  UPDATE: defineEventType<DialogRequestEvent>('sip.dialog.UPDATE', { ...VENDOR, short: 'DialogUpdate' }),
  PRACK: defineEventType<DialogRequestEvent>('sip.dialog.PRACK', { ...VENDOR, short: 'DialogPrack' }),
  SUBSCRIBE: defineEventType<DialogRequestEvent>('sip.dialog.SUBSCRIBE', { ...VENDOR, short: 'DialogSubscribe' }),
  NOTIFY: defineEventType<DialogRequestEvent>('sip.dialog.NOTIFY', { ...VENDOR, short: 'DialogNotify' }),
  REFER: defineEventType<DialogRequestEvent>('sip.dialog.REFER', { ...VENDOR, short: 'DialogRefer' }),
} as const;

/** In-dialog requests with a method not listed above (`onDialogExtensionRequest`). */
export const DialogExtensionRequestEvent = defineEventType<DialogRequestEvent>('sip.dialog.extension', { ...VENDOR, short: 'DialogExtensionRequest' });
/** The ACK of a dialog's INVITE (`onDialogAck`). */
export const DialogAckEventType = defineEventType<DialogAckOrByeEvent>('sip.dialog.ACK', { ...VENDOR, short: 'DialogAck' });
/** The peer's BYE (`onDialogBye`), already answered 200 by the stack. */
export const DialogByeEventType = defineEventType<DialogAckOrByeEvent>('sip.dialog.BYE', { ...VENDOR, short: 'DialogBye' });

/** Responses on client transactions, by class (JAIN SIP's INFO, SUCCESS, REDIRECT, CLIENT_ERROR, SERVER_ERROR, GLOBAL_FAILURE). */
export const SipResponseEvents = {
  1: defineEventType<SipResponseEvent>('sip.response.PROVISIONAL', { ...VENDOR, short: 'ProvisionalResponse' }),
  2: defineEventType<SipResponseEvent>('sip.response.SUCCESS', { ...VENDOR, short: 'SuccessResponse' }),
  3: defineEventType<SipResponseEvent>('sip.response.REDIRECT', { ...VENDOR, short: 'RedirectResponse' }),
  4: defineEventType<SipResponseEvent>('sip.response.CLIENT_ERROR', { ...VENDOR, short: 'ClientErrorResponse' }),
  5: defineEventType<SipResponseEvent>('sip.response.SERVER_ERROR', { ...VENDOR, short: 'ServerErrorResponse' }),
  6: defineEventType<SipResponseEvent>('sip.response.GLOBAL_FAILURE', { ...VENDOR, short: 'GlobalFailureResponse' }),
} as const;

export const TransactionTimeoutEventType = defineEventType<TransactionTimeoutEvent>('sip.TransactionTimeout', { ...VENDOR, short: 'TransactionTimeout' });
export const DialogTerminatedEventType = defineEventType<DialogTerminatedEvent>('sip.DialogTerminated', { ...VENDOR, short: 'DialogTerminated' });
/** A final response on a proxied request, held for the SBB to decide (forward it, or add targets). */
export const ProxyFinalResponseEventType = defineEventType<ProxyResponseEvent>('sip.proxy.FinalResponse', { ...VENDOR, short: 'ProxyFinalResponse' });
/** A response on one branch of a proxied request, for SBBs that asked for branch events. */
export const ProxyBranchResponseEventType = defineEventType<ProxyResponseEvent>('sip.proxy.BranchResponse', { ...VENDOR, short: 'ProxyBranchResponse' });

/** A bridged call changed state (`calling-a`, `calling-b`, `connected`, `terminated`). */
export const B2buaStateChangedEventType = defineEventType<B2buaStateChangedEvent>('sip.b2bua.StateChanged', { ...VENDOR, short: 'B2buaStateChanged' });

/** A bridged INVITE (ServerTransactionActivity.bridgeTo) was answered by an outbound leg (`onBridgeAnswered`). */
export const BridgeAnsweredEventType = defineEventType<BridgeAnsweredEvent>('sip.bridge.Answered', { ...VENDOR, short: 'BridgeAnswered' });
/** No outbound leg answered a bridged INVITE (`onBridgeFailed`); the activity ends after it. */
export const BridgeFailedEventType = defineEventType<BridgeFailedEvent>('sip.bridge.Failed', { ...VENDOR, short: 'BridgeFailed' });
/** An answered bridge ended (`onBridgeEnded`); the activity ends after it. */
export const BridgeEndedEventType = defineEventType<BridgeEndedEvent>('sip.bridge.Ended', { ...VENDOR, short: 'BridgeEnded' });

/** A watcher refreshed a subscription; the stack answered it and NOTIFYed the last state again. */
export const SubscriptionRefreshedEventType = defineEventType<SubscriptionRefreshedEvent>('sip.subscription.Refreshed', {
  ...VENDOR,
  short: 'SubscriptionRefreshed',
});
/** A subscription ended (expiry, unsubscribe, failed NOTIFY, or terminate()); the activity ends after it. */
export const SubscriptionTerminatedEventType = defineEventType<SubscriptionTerminatedEvent>('sip.subscription.Terminated', {
  ...VENDOR,
  short: 'SubscriptionTerminated',
});

export function requestEventType(method: string): EventType<SipRequestEvent> {
  return (SipRequestEvents as Record<string, EventType<SipRequestEvent>>)[method] ?? ExtensionRequestEvent;
}

export function dialogRequestEventType(method: string): EventType<DialogRequestEvent> {
  return (SipDialogRequestEvents as Record<string, EventType<DialogRequestEvent>>)[method] ?? DialogExtensionRequestEvent;
}

export function responseEventType(status: number): EventType<SipResponseEvent> {
  const cls = Math.min(6, Math.max(1, Math.floor(status / 100))) as 1 | 2 | 3 | 4 | 5 | 6;
  return SipResponseEvents[cls];
}

/** Every event type the SIP resource adaptor fires. */
export const SIP_EVENT_TYPES: readonly EventType[] = [
  ...Object.values(SipRequestEvents),
  ExtensionRequestEvent,
  ...Object.values(SipDialogRequestEvents),
  DialogExtensionRequestEvent,
  DialogAckEventType,
  DialogByeEventType,
  ...Object.values(SipResponseEvents),
  TransactionTimeoutEventType,
  DialogTerminatedEventType,
  ProxyFinalResponseEventType,
  ProxyBranchResponseEventType,
  B2buaStateChangedEventType,
  BridgeAnsweredEventType,
  BridgeFailedEventType,
  BridgeEndedEventType,
  SubscriptionRefreshedEventType,
  SubscriptionTerminatedEventType,
];
