export { ProxyCore, DEFAULT_TIMER_C, type ProxyCoreOptions } from './proxy-core.js';
export { ProxyContext, type ProxyOptions, type ProxyContextEvents } from './proxy-context.js';
export { ProxyBranch, type ProxyBranchState } from './proxy-branch.js';
export type { ProxyTarget } from './proxy-target.js';
export { selectBestResponse } from './best-response.js';
export { validateProxyRequest, type ProxyRejection, type ProxyValidationContext } from './validate-proxy-request.js';
export { loopHash, proxyBranch, loopHashOfBranch } from './loop-hash.js';
export { RouteTokens, ROUTE_TOKEN_PARAM, MIN_ROUTE_SECRET_BYTES } from './route-tokens.js';
