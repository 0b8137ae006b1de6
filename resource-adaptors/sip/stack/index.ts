export { SipStack, type NewRequestOptions } from './sip-stack.js';
export type { SipStackOptions, RequestHandler } from './sip-stack-options.js';
