import { uriAddress, withoutVisualSeparators, type SipRequest } from 'sleet/sip';

/** Who is calling, as screening compares it with block-list entries. */
export interface CallerIdentity {
  /** `sip:user@host` (host lower-cased, no parameters) or `tel:+number` (no visual separators), as `uriAddress` forms it. */
  address: string;
  /** The strings a prefix entry may match, most specific form first. */
  prefixCandidates: string[];
  /** The caller withheld its identity (RFC 3323/3325). */
  anonymous: boolean;
}

/** Privacy values that hide the caller's identity: `id` (RFC 3325) and `user` (RFC 3323). */
const HIDING_PRIVACY = new Set(['id', 'user']);

export function callerIdentity(request: SipRequest): CallerIdentity {
  const from = request.from;
  const address = uriAddress(from.uri);
  const user = from.uri.isSip ? from.uri.user : from.uri.opaque?.split(';')[0];
  const isNumber = from.uri.scheme === 'tel' || from.uri.param('user') === 'phone';
  // `+1-212` and `+1212` are one number to a prefix entry.
  const number = isNumber && user !== undefined ? withoutVisualSeparators(user) : user;
  const prefixCandidates = [address];
  if (number !== undefined) {
    prefixCandidates.push(number);
    if (number.startsWith('+')) prefixCandidates.push(number.slice(1));
  }
  const privacy = request
    .getAll('Privacy')
    .flatMap((value) => value.split(';'))
    .map((token) => token.trim().toLowerCase());
  const anonymous =
    from.uri.host.toLowerCase() === 'anonymous.invalid' ||
    user?.toLowerCase() === 'anonymous' ||
    from.displayName?.trim().toLowerCase() === 'anonymous' ||
    privacy.some((token) => HIDING_PRIVACY.has(token));
  return { address, prefixCandidates, anonymous };
}
