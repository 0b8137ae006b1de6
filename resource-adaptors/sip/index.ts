// The SIP stack as a library: everything here runs without the SLEE (see README.md). The adaptor is ra/index.ts.
export * from './message/index.js';
export * from './stack/index.js';
export * from './dialog/index.js';
export * from './proxy/index.js';
export * from './b2bua/index.js';
export type { Transaction, ServerTransaction, ClientTransaction, TimerSettings } from './transaction/index.js';
export { nextHopForRequest, uriTarget, type TransportProtocol, type MessageSource, type TransportTarget } from './transport/index.js';
export { SystemClock, FakeClock, type Clock, type TimerHandle, type SystemClockOptions } from '../../base/clock/index.js';
export * from './subscription/index.js';
