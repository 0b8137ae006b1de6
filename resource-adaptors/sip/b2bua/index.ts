export { B2buaCall, type B2buaState, type B2buaEvents, type B2buaUac } from './b2bua-call.js';
