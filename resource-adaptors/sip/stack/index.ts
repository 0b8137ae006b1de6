export { SipStack, type NewRequestOptions } from './sip-stack.js';
export type { SipStackOptions, RequestHandler } from './sip-stack-options.js';
export type { SipAdmission } from './sip-admission.js';
export { StackCounters } from './stack-counters.js';
export { MalformedInputLog, type MalformedInputLogOptions } from './malformed-input-log.js';
