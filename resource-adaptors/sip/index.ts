export * from './ra/index.js';
export * from './message/index.js';
export * from './stack/index.js';
export * from './dialog/index.js';
export * from './proxy/index.js';
export * from './b2bua/index.js';
export type { TransportProtocol, MessageSource, TransportTarget } from './transport/index.js';
