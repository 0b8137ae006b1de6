export {
  isReliable,
  type TransportProtocol,
  type MessageSource,
  type TransportTarget,
  type SendResult,
  type MessageReceiver,
  type SipTransport,
} from './transport-types.js';
export { TransportLayer } from './transport-layer.js';
export { defaultPort, type TransportLayerOptions, type ListenPointOptions, type TlsSettings } from './transport-options.js';
export type { ListenPoint } from './listen-point.js';
export { TransportCounters } from './transport-counters.js';
export { targetFromRequest } from './target-from-request.js';
export { responseDestination, type ResponseDestination } from './response-destination.js';
export { stampReceived } from './stamp-received.js';
export { resolveHost } from './resolve-host.js';
export { describePeer } from './describe-peer.js';
