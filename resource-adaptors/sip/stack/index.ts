export { SipStack, type NewRequestOptions } from './sip-stack.js';
export type { SipStackOptions, RequestHandler } from './sip-stack-options.js';
export type { SipAdmission } from './sip-admission.js';
