export { SipStack, type NewRequestOptions } from './sip-stack.js';
export type { SipStackOptions, RequestHandler } from './sip-stack-options.js';
export { StackCounters } from './stack-counters.js';
export { MalformedInputLog, type MalformedInputLogOptions } from './malformed-input-log.js';
