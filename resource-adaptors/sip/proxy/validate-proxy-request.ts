import { isSupportedScheme, unsupportedProxyRequire, type SipRequest } from '../message/index.js';
import { loopHashOfBranch } from './loop-hash.js';

export interface ProxyRejection {
  status: number;
  reason: string;
  headers?: Record<string, string | string[]>;
}

export interface ProxyValidationContext {
  supportedSchemes: readonly string[];
  supportedProxyRequire: readonly string[];
  /** Whether a Via sent-by is one of ours. */
  isLocal(host: string, port: number | undefined): boolean;
  /** The loop hash this request would get in our branch. */
  loopHash: string;
}

/**
 * RFC 3261 §16.3 steps 2-5 (syntax was checked by the lower layers):
 * URI scheme (416), Max-Forwards 0 (483; OPTIONS too, a proxy does not
 * answer for the UAS), a Via of ours whose branch carries this request's
 * loop hash (482), unsupported Proxy-Require (420 with Unsupported).
 */
export function validateProxyRequest(request: SipRequest, ctx: ProxyValidationContext): ProxyRejection | null {
  if (!isSupportedScheme(request.uri.scheme, ctx.supportedSchemes)) {
    return { status: 416, reason: 'Unsupported URI Scheme' };
  }
  if (request.maxForwards === 0) return { status: 483, reason: 'Too Many Hops' };
  for (const via of request.vias) {
    if (ctx.isLocal(via.host, via.port) && loopHashOfBranch(via.branch) === ctx.loopHash) {
      return { status: 482, reason: 'Loop Detected' };
    }
  }
  const unsupported = unsupportedProxyRequire(request, ctx.supportedProxyRequire);
  if (unsupported.length > 0) return { status: 420, reason: 'Bad Extension', headers: { Unsupported: unsupported.join(', ') } };
  return null;
}
