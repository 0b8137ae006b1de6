export { WakeUpBookingSbb, WAKE_UP_USER } from './wake-up-booking-sbb.js';
export { WakeUpCallSbb, WAKE_UP_CALL_LENGTH_MS } from './wake-up-call-sbb.js';
export { parseWakeUpTime, WAKE_UP_FORMS, type WakeUpTime } from './parse-wake-up-time.js';
export { NewWakeUpBody, WAKE_UP_ROUTES, type NewWakeUp } from './wake-up-routes.js';
export { subscriberUri } from './subscriber-uri.js';
export type { WakeUp, HangUp } from './wake-up.js';
