import { isCallId } from './call-id.js';
import { CSeq } from './cseq.js';
import { headerKey, knownSpellingAt } from './header-names.js';
import { isToken, isTokenChar, isWsp, parseBoundedInt, trimWsp } from './lexical.js';
import { NameAddr } from './name-addr.js';
import { SipUri } from './uri.js';
import { Via } from './via.js';

/**
 * What a stateless answer needs from a request (RFC 3261 §8.2.6.2), read
 * from a datagram's header lines without building a message. Values are
 * the received text, decoded as latin1 so that they go back out byte for
 * byte; `topVia` is parsed.
 */
export interface RequestHead {
  method: string;
  topVia: Via;
  /** Every Via value in order, one per entry, as received; the first is the top Via. */
  vias: string[];
  from: string;
  to: string;
  toTag: string | undefined;
  callId: string;
  cseq: string;
}

const END_OF_HEAD = Buffer.from('\r\n\r\n');
const SIP_VERSION = ' SIP/2.0';
/** Header keys (`headerKey`) of the lines read. */
const READ = new Set(['via', 'from', 'to', 'call-id', 'cseq', 'content-length']);

/** Runs one of the message parsers; undefined where it throws. */
function parsed<T>(parse: (text: string) => T, text: string): T | undefined {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads a UDP request's head: the request line and the Via, From, To,
 * Call-ID, CSeq and Content-Length lines, each through the parser the
 * full parse uses, with the same framing checks (single spaces in the
 * request line, `token: value` lines, a Content-Length the body holds).
 * Anything it cannot vouch for gives undefined, and the message takes the
 * full parse, which answers it as a whole: a response, a folded line, a
 * repeated From, To, Call-ID or CSeq, a CSeq for another method, a quoted
 * Via, a missing or malformed field. Other headers are not read: under
 * overload a malformed Contact earns a 503 here where the full path would
 * have said 400.
 */
export function scanRequestHead(data: Buffer): RequestHead | undefined {
  const headEnd = data.indexOf(END_OF_HEAD);
  if (headEnd === -1) return undefined;
  const text = data.toString('latin1', 0, headEnd + 2);
  const lineEnd = text.indexOf('\r\n');
  const space = text.indexOf(' ');
  const uriEnd = lineEnd - SIP_VERSION.length;
  if (space <= 0 || space >= uriEnd || !text.startsWith(SIP_VERSION, uriEnd)) return undefined;
  const method = text.slice(0, space);
  const uri = text.slice(space + 1, uriEnd);
  if (!isToken(method) || uri.indexOf(' ') !== -1 || parsed(SipUri.parse, uri)?.hasHeaders !== false) return undefined;
  const vias: string[] = [];
  let from: string | undefined;
  let to: string | undefined;
  let callId: string | undefined;
  let cseq: string | undefined;
  let length: string | undefined;
  let pos = lineEnd + 2;
  while (pos < text.length) {
    const eol = text.indexOf('\r\n', pos);
    let nameEnd = pos;
    while (nameEnd < eol && isTokenChar(text.charCodeAt(nameEnd))) nameEnd++;
    let colon = nameEnd;
    while (colon < eol && isWsp(text.charCodeAt(colon))) colon++;
    if (nameEnd === pos || text.charCodeAt(colon) !== 0x3a) return undefined;
    // Any other header line is only checked to be `token: value`.
    const key = knownSpellingAt(text, pos, nameEnd)?.key ?? headerKey(text.slice(pos, nameEnd));
    if (READ.has(key)) {
      const value = trimWsp(text.slice(colon + 1, eol));
      if (key === 'via') {
        // A comma inside a quoted parameter is not a separator: leave such a Via to the full parser.
        if (value.indexOf('"') !== -1) return undefined;
        for (const one of value.split(',')) {
          const trimmed = trimWsp(one);
          if (trimmed.length === 0) return undefined;
          vias.push(trimmed);
        }
      } else if (key === 'from') {
        if (from !== undefined) return undefined;
        from = value;
      } else if (key === 'to') {
        if (to !== undefined) return undefined;
        to = value;
      } else if (key === 'call-id') {
        if (callId !== undefined) return undefined;
        callId = value;
      } else if (key === 'cseq') {
        if (cseq !== undefined) return undefined;
        cseq = value;
      } else {
        if (length !== undefined) return undefined;
        length = value;
      }
    }
    pos = eol + 2;
  }
  if (vias.length === 0 || from === undefined || to === undefined || callId === undefined || cseq === undefined) return undefined;
  // Any size of Content-Length is only compared with the body, as the full parse does.
  const declared = length === undefined ? 0 : parseBoundedInt(length, Number.POSITIVE_INFINITY);
  if (declared === undefined || declared > data.length - headEnd - 4) return undefined;
  if (!isCallId(callId) || parsed(CSeq.parse, cseq)?.method !== method || parsed(NameAddr.parse, from) === undefined) return undefined;
  const toAddress = parsed(NameAddr.parse, to);
  const topVia = parsed(Via.parse, vias[0]!);
  if (toAddress === undefined || topVia === undefined) return undefined;
  return { method, topVia, vias, from, to, toTag: toAddress.tag, callId, cseq };
}
