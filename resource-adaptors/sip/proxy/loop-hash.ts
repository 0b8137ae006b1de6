import { hash } from 'node:crypto';
import { RFC3261_BRANCH_PREFIX, type SipRequest } from '../message/index.js';

/**
 * RFC 3261 §16.6 step 8: a hash of what identifies a request at this hop
 * (Request-URI, tags, Call-ID, CSeq number, Proxy-Require,
 * Proxy-Authorization, Route without our own entries). It goes into our
 * Via branch, so a request that comes back unchanged is a loop (482) while
 * one whose Request-URI changed is a spiral. Via is left out: a looped
 * request always arrives with a different top Via.
 */
export function loopHash(request: SipRequest, foreignRoutes: readonly string[]): string {
  // One text, no list of parts, and one-shot: no Hash object per request.
  const text = `${request.uri.toString()}\n${request.from.tag ?? ''}\n${request.to.tag ?? ''}\n${request.callId}\n${request.cseq.seq}\n${joined(request, 'proxy-require')}\n${joined(request, 'proxy-authorization')}\n${foreignRoutes.join(',')}`;
  return hash('sha1', text, 'base64url').slice(0, 16);
}

/** A header's values joined by commas, or '' without one, which is how most requests come (Proxy-Require, Proxy-Authorization). */
function joined(request: SipRequest, key: string): string {
  return request.hasKey(key) ? request.getAll(key).join(',') : '';
}

/** Our branch format: cookie, loop hash, '.', a per-branch suffix. */
export function proxyBranch(hash: string, suffix: string): string {
  return `${RFC3261_BRANCH_PREFIX}${hash}.${suffix}`;
}

/** The loop hash part of a branch we built, or undefined for anyone else's. */
export function loopHashOfBranch(branch: string | undefined): string | undefined {
  if (branch === undefined || !branch.startsWith(RFC3261_BRANCH_PREFIX)) return undefined;
  const dot = branch.indexOf('.', RFC3261_BRANCH_PREFIX.length);
  return dot === -1 ? undefined : branch.slice(RFC3261_BRANCH_PREFIX.length, dot);
}
