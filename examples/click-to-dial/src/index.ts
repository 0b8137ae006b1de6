export { ClickToDialSbb, TERMINATED_CALL_RETENTION_MS } from './click-to-dial-sbb.js';
export { CallStartedEvent, type CallStarted } from './call-started-event.js';
export { NewCallBody, CLICK_TO_DIAL_ROUTES, type NewCall } from './click-to-dial-routes.js';
export type { CallStateChange } from './call-state-change.js';
export { partyUri } from './party-uri.js';
