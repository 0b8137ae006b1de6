export { B2buaCall, type B2buaState, type B2buaEvents, type B2buaUac } from './b2bua-call.js';
export { B2buaBridge, type BridgeState, type BridgeOptions, type BridgeEnd, type BridgeEvents, type B2buaHost } from './b2bua-bridge.js';
