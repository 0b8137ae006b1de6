export {
  Dialog,
  type DialogState,
  type DialogSnapshot,
  type DialogRole,
  type DialogTerminationReason,
  type DialogEvents,
  type InDialogRequestOptions,
  type SendInDialogOptions,
} from './dialog.js';
export { DialogLayer, type DialogLayerOptions, type DialogLayerEvents, type InviteOptions } from './dialog-layer.js';
export { ClientInvite, type ClientInviteEvents } from './client-invite.js';
export { buildResponse, type ResponseOptions } from './build-response.js';
export { dialogKey } from './dialog-key.js';
export { SuccessRetransmitter } from './success-retransmitter.js';
export { SessionTimer, SessionTimers, type SessionTimerOptions } from './session-timer.js';
export type { DialogHost } from './dialog-host.js';
