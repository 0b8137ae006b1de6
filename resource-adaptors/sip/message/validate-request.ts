import type { SipRequest } from './sip-request.js';
import { SIP_METHODS } from './sip-methods.js';

/** Methods of RFC 3261 and its extensions that an element is expected to recognise. */
export const KNOWN_METHODS: ReadonlySet<string> = new Set(SIP_METHODS);

const MANDATORY = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];
const SINGLE_VALUED = ['From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Content-Type', 'Expires'];
/** What must parse, each read through its typed accessor (which caches it for the TU); module-level, so a request allocates no closures for them. */
const PARSED: ReadonlyArray<[name: string, check: (req: SipRequest) => unknown]> = [
  ['Request-URI', (req) => req.uri],
  ['Via', (req) => req.vias],
  ['From', (req) => req.from],
  ['To', (req) => req.to],
  ['Call-ID', (req) => req.callId],
  ['CSeq', (req) => req.cseq],
  ['Max-Forwards', (req) => req.maxForwards],
  ['Route', (req) => req.routes],
  ['Record-Route', (req) => req.recordRoutes],
  ['Expires', (req) => req.expires],
];

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
  for (const name of MANDATORY) {
    if (!req.has(name)) return { status: 400, reason: `Bad Request - missing ${name} header` };
  }
  for (const name of SINGLE_VALUED) {
    if (req.getAll(name).length > 1) {
      return { status: 400, reason: `Bad Request - multiple ${name} values` };
    }
  }
  for (const [name, check] of PARSED) {
    try {
      check(req);
    } catch {
      return { status: 400, reason: `Bad Request - malformed ${name}${name === 'Request-URI' ? '' : ' header'}` };
    }
  }
  if (req.cseq.method !== req.method) {
    return KNOWN_METHODS.has(req.method)
      ? { status: 400, reason: 'Bad Request - CSeq method does not match the request method' }
      : { status: 501, reason: 'Not Implemented' };
  }
  return null;
}
