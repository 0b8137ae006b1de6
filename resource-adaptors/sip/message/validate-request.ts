import { headerKey } from './header-names.js';
import type { SipRequest } from './sip-request.js';
import { SIP_METHODS } from './sip-methods.js';

/** Methods of RFC 3261 and its extensions that an element is expected to recognise. */
export const KNOWN_METHODS: ReadonlySet<string> = new Set(SIP_METHODS);

/** Names with their header keys, looked up once here: the checks below run for every request and allocate nothing while it is well-formed. */
const MANDATORY = ['Via', 'From', 'To', 'Call-ID', 'CSeq'].map((name) => ({ name, key: headerKey(name) }));
/** None is a comma-separated list, so a second value is a second line. */
const SINGLE_VALUED = ['From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Content-Type', 'Expires'].map((name) => ({
  name,
  key: headerKey(name),
}));
/**
 * The first part of the request that does not parse, or null: each is read
 * through its typed accessor, which caches it for the TU. The reads are
 * written out in one function rather than taken from a table of closures: a
 * closure called through a table stays in V8's baseline tier long after the
 * node is warm (callgrind on `demo-call-count`), where these reads are
 * optimised with the function.
 */
function malformedPart(req: SipRequest): string | null {
  let part = 'Request-URI';
  try {
    void req.uri;
    part = 'Via';
    void req.vias;
    part = 'From';
    void req.from;
    part = 'To';
    void req.to;
    part = 'Call-ID';
    void req.callId;
    part = 'CSeq';
    void req.cseq;
    part = 'Max-Forwards';
    void req.maxForwards;
    part = 'Route';
    void req.routes;
    part = 'Record-Route';
    void req.recordRoutes;
    part = 'Expires';
    void req.expires;
  } catch {
    return part;
  }
  return null;
}

/**
 * Semantic checks a UAS/proxy applies after parsing (RFC 3261 §8.2, §16.3,
 * RFC 4475 §3.3): missing mandatory headers (Max-Forwards tolerated for
 * RFC 2543 peers) -> 400; multiple values of single-value headers -> 400;
 * CSeq method != request method -> 400 (or 501 if the method is unknown);
 * conflicting Content-Length -> 400; a malformed header that the stack
 * itself reads (Route and Record-Route included, which decide where an
 * in-dialog request goes) or that a registrar reads (Expires) -> 400. Returns null when fine.
 */
export function validateRequest(req: SipRequest): { status: number; reason: string } | null {
  for (let i = 0; i < MANDATORY.length; i++) {
    const { name, key } = MANDATORY[i]!;
    if (!req.hasKey(key)) return { status: 400, reason: `Bad Request - missing ${name} header` };
  }
  for (let i = 0; i < SINGLE_VALUED.length; i++) {
    const { name, key } = SINGLE_VALUED[i]!;
    if (req.countKey(key) > 1) return { status: 400, reason: `Bad Request - multiple ${name} values` };
  }
  const malformed = malformedPart(req);
  if (malformed !== null) return { status: 400, reason: `Bad Request - malformed ${malformed}${malformed === 'Request-URI' ? '' : ' header'}` };
  if (req.cseq.method !== req.method) {
    return KNOWN_METHODS.has(req.method)
      ? { status: 400, reason: 'Bad Request - CSeq method does not match the request method' }
      : { status: 501, reason: 'Not Implemented' };
  }
  return null;
}
