import type { SipMessage } from './sip-message.js';

function unsupportedIn(message: SipMessage, header: string, supported: Iterable<string>): string[] {
  const tags = message.getAll(header);
  // Most requests require no option-tag: then there is nothing to compare, and no set to build.
  if (tags.length === 0) return tags;
  const known = new Set([...supported].map((tag) => tag.toLowerCase()));
  return tags.filter((tag) => tag.length > 0 && !known.has(tag.toLowerCase()));
}

/** Require option-tags a UAS does not support: non-empty means 420 Bad Extension with them in Unsupported. */
export function unsupportedRequire(req: SipMessage, supported: Iterable<string>): string[] {
  return unsupportedIn(req, 'Require', supported);
}

/** Proxy-Require option-tags a proxy does not support (RFC 3261 §16.3 step 5). */
export function unsupportedProxyRequire(req: SipMessage, supported: Iterable<string>): string[] {
  return unsupportedIn(req, 'Proxy-Require', supported);
}

/** Whether a Request-URI scheme is served; otherwise the answer is 416 (RFC 3261 §8.2.2.1). */
export function isSupportedScheme(scheme: string, supported: Iterable<string> = ['sip', 'sips']): boolean {
  const lower = scheme.toLowerCase();
  for (const s of supported) if (s.toLowerCase() === lower) return true;
  return false;
}
