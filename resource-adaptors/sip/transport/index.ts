export {
  isReliable,
  type TransportProtocol,
  type MessageSource,
  type ResponseDestination,
  type TransportTarget,
  type SendResult,
  type MessageReceiver,
  type SipTransport,
  type WireMessage,
  type WireObserver,
} from './transport-types.js';
export { TransportLayer } from './transport-layer.js';
export { defaultPort, type TransportLayerOptions, type ListenPointOptions, type TlsSettings } from './transport-options.js';
export type { ListenPoint } from './listen-point.js';
export { TransportCounters } from './transport-counters.js';
export { nextHopForRequest, uriTarget } from './next-hop.js';
export { responseDestination, viaDestination } from './response-destination.js';
export type { DatagramScreen, ScreenedDatagram } from './datagram-screen.js';
export { stampReceived, stampVia } from './stamp-received.js';
export { resolveHost } from './resolve-host.js';
export { describePeer } from './describe-peer.js';
export { MessageCounters, COUNTED_METHODS, STATUS_CLASSES } from './message-counters.js';
