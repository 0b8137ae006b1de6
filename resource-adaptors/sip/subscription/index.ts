export { eventHeaderOf, formatEventHeader, type EventHeader } from './event-header.js';
export {
  NotifierSubscription,
  type AcceptSubscriptionOptions,
  type NotifierSubscriptionEvents,
  type NotifyOptions,
  type SubscriptionEndReason,
  type SubscriptionState,
} from './notifier-subscription.js';
export { parsePublish, type PublishRequest } from './publish-request.js';
