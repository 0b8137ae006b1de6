import { endOfQuotedString, isTokenChar, isWsp, sameRange, skipWsp } from './lexical.js';
import { sipSyntaxError } from './sip-syntax-error.js';

/** Characters allowed in an unquoted gen-value: token, host (with IPv6 brackets and colons). */
function isValueChar(code: number): boolean {
  return isTokenChar(code) || code === 0x3a || code === 0x5b || code === 0x5d;
}

/** Index past an unquoted or quoted gen-value starting at `pos`, or -1 when there is none there. */
function endOfValue(text: string, pos: number): number {
  if (text.charCodeAt(pos) === 0x22) return endOfQuotedString(text, pos);
  const start = pos;
  while (pos < text.length && isValueChar(text.charCodeAt(pos))) pos++;
  return pos === start ? -1 : pos;
}

/**
 * Parses `*( SEMI generic-param )` starting at `pos` up to the end of `text`
 * (RFC 3261 §25.1, LWS allowed around ; and =). Names are lower-cased,
 * values kept as received (quoted strings keep their quotes). Throws
 * SleetError(SIP_PARSE) naming `what` on anything else, e.g. `;;`.
 * Fills `params` when given (the parsed object's own, still empty, map).
 */
export function parseHeaderParams(text: string, pos: number, what: string, params = new Map<string, string | null>()): Map<string, string | null> {
  pos = skipWsp(text, pos);
  while (pos < text.length) {
    if (text.charCodeAt(pos) !== 0x3b) throw sipSyntaxError(what, text);
    pos = skipWsp(text, pos + 1);
    const nameStart = pos;
    while (pos < text.length && isTokenChar(text.charCodeAt(pos))) pos++;
    if (pos === nameStart) throw sipSyntaxError(what, text);
    const name = text.slice(nameStart, pos).toLowerCase();
    pos = skipWsp(text, pos);
    let value: string | null = null;
    if (text.charCodeAt(pos) === 0x3d) {
      pos = skipWsp(text, pos + 1);
      const valueStart = pos;
      pos = endOfValue(text, pos);
      if (pos === -1) throw sipSyntaxError(what, text);
      value = text.slice(valueStart, pos);
      pos = skipWsp(text, pos);
    }
    params.set(name, value);
    if (pos < text.length && !isWsp(text.charCodeAt(pos)) && text.charCodeAt(pos) !== 0x3b) {
      throw sipSyntaxError(what, text);
    }
  }
  return params;
}

/** Most headers carry a few parameters; more than this many are parsed into a map at once. */
const MAX_LAZY_PARAMS = 16;
const nameBounds = new Int32Array(2 * MAX_LAZY_PARAMS);

/**
 * The parameters from `pos` on as `parseHeaderParams` reads them, with the
 * same errors. Text already in the form `formatParams` prints (no LWS,
 * lower-case names, each name once) comes back as that text, allocating no
 * map: most readers only ever want one value of it (`findHeaderParam`), and
 * a forwarded header prints it as it came. Anything else comes back parsed.
 */
export function receivedParams(text: string, pos: number, what: string): string | Map<string, string | null> {
  const start = pos;
  let count = 0;
  while (pos < text.length) {
    if (text.charCodeAt(pos) !== 0x3b || count === MAX_LAZY_PARAMS) return parseHeaderParams(text, start, what);
    const nameStart = ++pos;
    while (pos < text.length && isTokenChar(text.charCodeAt(pos))) {
      const code = text.charCodeAt(pos);
      if (code >= 0x41 && code <= 0x5a) return parseHeaderParams(text, start, what);
      pos++;
    }
    if (pos === nameStart) return parseHeaderParams(text, start, what);
    for (let i = 0; i < count; i++) {
      if (sameRange(text, nameBounds[2 * i]!, nameBounds[2 * i + 1]!, nameStart, pos)) return parseHeaderParams(text, start, what);
    }
    nameBounds[2 * count] = nameStart;
    nameBounds[2 * count + 1] = pos;
    count++;
    if (text.charCodeAt(pos) === 0x3d) {
      pos = endOfValue(text, pos + 1);
      if (pos === -1) return parseHeaderParams(text, start, what);
    }
  }
  return start === 0 ? text : text.slice(start);
}

/**
 * The value of `name` (lower-case) in parameters that `receivedParams`
 * returned as text: null for a parameter without a value, undefined when absent.
 * That text is checked already, so the parameters the search passes over
 * are skipped by their `;` rather than read character by character (a Via's
 * branch is most of it, and rport and received come after it).
 */
export function findHeaderParam(params: string, name: string): string | null | undefined {
  let pos = 0;
  while (pos < params.length) {
    const nameStart = pos + 1;
    if (params.startsWith(name, nameStart)) {
      const after = nameStart + name.length;
      if (after === params.length) return null;
      const code = params.charCodeAt(after);
      if (code === 0x3b) return null;
      if (code === 0x3d) return params.slice(after + 1, endOfValue(params, after + 1));
    }
    pos = nextParamAt(params, nameStart);
  }
  return undefined;
}

/** Offset of the `;` that starts the parameter after the one at `from`, or the end: a quoted value may hold a `;`. */
function nextParamAt(params: string, from: number): number {
  const semi = params.indexOf(';', from);
  if (semi === -1) return params.length;
  const quote = params.indexOf('"', from);
  if (quote === -1 || quote > semi) return semi;
  const closed = endOfQuotedString(params, quote);
  const after = closed === -1 ? -1 : params.indexOf(';', closed);
  return after === -1 ? params.length : after;
}

/** The map for parameters that `receivedParams` returned as text (none: an empty map). */
export function receivedParamMap(params: string | undefined): Map<string, string | null> {
  return params === undefined || params.length === 0 ? new Map() : parseHeaderParams(params, 0, 'parameters');
}

export function formatParams(params: Map<string, string | null>): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}
