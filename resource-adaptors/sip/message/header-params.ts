import { endOfQuotedString, isTokenChar, isWsp, skipWsp } from './lexical.js';
import { sipSyntaxError } from './sip-syntax-error.js';

/** Characters allowed in an unquoted gen-value: token, host (with IPv6 brackets and colons). */
function isValueChar(code: number): boolean {
  return isTokenChar(code) || code === 0x3a || code === 0x5b || code === 0x5d;
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
      if (text.charCodeAt(pos) === 0x22) {
        pos = endOfQuotedString(text, pos);
        if (pos === -1) throw sipSyntaxError(what, text);
      } else {
        while (pos < text.length && isValueChar(text.charCodeAt(pos))) pos++;
        if (pos === valueStart) throw sipSyntaxError(what, text);
      }
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

export function formatParams(params: Map<string, string | null>): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}
