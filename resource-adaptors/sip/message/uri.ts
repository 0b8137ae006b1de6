import { isIP } from 'node:net';
import { formatParams } from './header-params.js';
import { parseBoundedInt, sameRange } from './lexical.js';
import { sipSyntaxError } from './sip-syntax-error.js';

// RFC 3261 §25.1 character sets; %HH escapes are accepted everywhere and kept as they are.
const UNRESERVED = "-_.!~*'()";
const USER = charTable(`${UNRESERVED}&=+$,;?/`);
const PASSWORD = charTable(`${UNRESERVED}&=+$,`);
const PARAM = charTable(`${UNRESERVED}[]/:&+$`);
const HEADER = charTable(`${UNRESERVED}[]/?:+$`);
const HOST = charTable('-._');
const SCHEME = charTable('+.-');
// IPv6reference characters between the brackets.
const IPV6 = charTable(':.');
for (let c = 0x47; c <= 0x5a; c++) IPV6[c] = 0;
for (let c = 0x67; c <= 0x7a; c++) IPV6[c] = 0;

function charTable(extra: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) table[c] = 1;
  for (let c = 0x41; c <= 0x5a; c++) table[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) table[c] = 1;
  for (const ch of extra) table[ch.charCodeAt(0)] = 1;
  return table;
}

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** Whether text[start, end) is made of `table` characters and well-formed %HH escapes. */
function allIn(text: string, start: number, end: number, table: Uint8Array): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x25) {
      if (i + 2 >= end || !isHex(text.charCodeAt(i + 1)) || !isHex(text.charCodeAt(i + 2))) return false;
      i += 2;
    } else if (code >= 128 || table[code] !== 1) return false;
  }
  return true;
}

/** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
function isScheme(text: string, end: number): boolean {
  const first = text.charCodeAt(0) | 0x20;
  if (end === 0 || first < 0x61 || first > 0x7a) return false;
  for (let i = 1; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || SCHEME[code] !== 1) return false;
  }
  return true;
}

/** 'sip' or 'sips' when text[0, end) spells one in any case: the usual schemes, recognised without a lower-cased copy. */
function sipScheme(text: string, end: number): string | undefined {
  if (end !== 3 && end !== 4) return undefined;
  if ((text.charCodeAt(0) | 0x20) !== 0x73 || (text.charCodeAt(1) | 0x20) !== 0x69 || (text.charCodeAt(2) | 0x20) !== 0x70) {
    return undefined;
  }
  if (end === 3) return 'sip';
  return (text.charCodeAt(3) | 0x20) === 0x73 ? 'sips' : undefined;
}

/** absoluteURI remainder (RFC 3261 §25.1): non-empty, anything but whitespace, quotes and angle brackets. */
function isOpaque(text: string, start: number): boolean {
  if (start >= text.length) return false;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3c || code === 0x3e || code === 0x22) return false;
    // Only these ranges hold characters that \s matches.
    if ((code <= 0x20 || code >= 0xa0) && /\s/.test(text[i])) return false;
  }
  return true;
}

/** `[` IPv6address `]`: the characters first, then the address itself (RFC 5118 §4.10: no `:::`). */
function isIpv6Reference(text: string, start: number, end: number): boolean {
  if (end - start < 3 || text.charCodeAt(start) !== 0x5b || text.charCodeAt(end - 1) !== 0x5d) return false;
  for (let i = start + 1; i < end - 1; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || IPV6[code] !== 1) return false;
  }
  return isIP(text.slice(start + 1, end - 1)) === 6;
}

/** Most URIs carry a few parameters; one with more keeps them in a map. */
const MAX_PRINTED_PARAMS = 16;
const nameBounds = new Int32Array(2 * MAX_PRINTED_PARAMS);

/** `;name[=value]…` from `start` to `end`, already checked, as a map: names lower-cased when `lower`, a later value replacing an earlier one. */
function uriParamMap(text: string, start: number, end: number, lower: boolean): Map<string, string | null> {
  const params = new Map<string, string | null>();
  let pos = start;
  while (pos < end) {
    let next = text.indexOf(';', pos + 1);
    if (next === -1 || next > end) next = end;
    const eq = text.indexOf('=', pos + 1);
    const nameEnd = eq === -1 || eq > next ? next : eq;
    const name = text.slice(pos + 1, nameEnd);
    params.set(lower ? name.toLowerCase() : name, nameEnd === next ? null : text.slice(nameEnd + 1, next));
    pos = next;
  }
  return params;
}

/** The value of `name` in printed parameter text: null for a parameter without a value, undefined when absent. */
function findUriParam(params: string, name: string): string | null | undefined {
  let pos = 0;
  while (pos < params.length) {
    let next = params.indexOf(';', pos + 1);
    if (next === -1) next = params.length;
    const nameStart = pos + 1;
    if (params.startsWith(name, nameStart)) {
      const after = nameStart + name.length;
      if (after === next) return null;
      if (params.charCodeAt(after) === 0x3d) return params.slice(after + 1, next);
    }
    pos = next;
  }
  return undefined;
}

/**
 * The one SIP-URI grammar walk, used both to validate (`into` undefined,
 * nothing allocated) and to parse, so a URI validated while parsing a
 * message always parses later. Returns the faulty element's name, if any.
 */
function scanUri(text: string, into: SipUri | undefined): string | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0 || !isScheme(text, colon)) return 'URI';
  const scheme = sipScheme(text, colon) ?? text.slice(0, colon).toLowerCase();
  if (into !== undefined) into.scheme = scheme;
  const rest = colon + 1;
  if (scheme !== 'sip' && scheme !== 'sips') {
    if (!isOpaque(text, rest)) return 'URI';
    if (into !== undefined) into.opaque = text.slice(rest);
    return undefined;
  }
  const at = text.indexOf('@', rest);
  let pos = rest;
  if (at !== -1) {
    const pc = text.indexOf(':', rest);
    const userEnd = pc !== -1 && pc < at ? pc : at;
    if (userEnd === rest || !allIn(text, rest, userEnd, USER)) return 'URI user';
    if (userEnd !== at && !allIn(text, userEnd + 1, at, PASSWORD)) return 'URI password';
    if (into !== undefined) {
      into.user = text.slice(rest, userEnd);
      if (userEnd !== at) into.password = text.slice(userEnd + 1, at);
    }
    pos = at + 1;
  }
  // hostport ends at the first ';' or '?'; a port follows the first ':' after any IPv6 reference (up to its last ']').
  // The same walk checks the usual hosts (plain hostname/IPv4 characters); others are checked below.
  let end = pos;
  let portColon = -1;
  let plainHost = true;
  for (; end < text.length; end++) {
    const code = text.charCodeAt(end);
    if (code === 0x3b || code === 0x3f) break;
    if (code === 0x3a) {
      if (portColon === -1) portColon = end;
    } else if (code === 0x5d) {
      portColon = -1;
      plainHost = false;
    } else if (portColon === -1 && (code >= 128 || HOST[code] !== 1)) plainHost = false;
  }
  let hostEnd = end;
  if (portColon !== -1) {
    const port = parseBoundedInt(text, 65535, portColon + 1, end);
    if (port === undefined) return 'URI port';
    if (into !== undefined) into.port = port;
    hostEnd = portColon;
  }
  if (hostEnd === pos) return 'URI host';
  if (!plainHost && !allIn(text, pos, hostEnd, HOST) && !isIpv6Reference(text, pos, hostEnd)) return 'URI host';
  if (into !== undefined) into.host = text.slice(pos, hostEnd);
  const paramsStart = end;
  // Parameters in printed form (lower-case names, each once) are kept as their text; see SipUri.param.
  let printed = true;
  let count = 0;
  while (end < text.length && text.charCodeAt(end) === 0x3b) {
    let next = end + 1;
    let eq = -1;
    for (; next < text.length; next++) {
      const code = text.charCodeAt(next);
      if (code === 0x3b || code === 0x3f) break;
      if (code === 0x3d && eq === -1) eq = next;
      else if (eq === -1 && code >= 0x41 && code <= 0x5a) printed = false;
    }
    const nameEnd = eq === -1 ? next : eq;
    if (nameEnd === end + 1 || !allIn(text, end + 1, nameEnd, PARAM)) return 'URI parameter';
    if (eq !== -1 && (eq + 1 === next || !allIn(text, eq + 1, next, PARAM))) return 'URI parameter';
    if (printed && into !== undefined) {
      if (count === MAX_PRINTED_PARAMS) printed = false;
      else {
        for (let i = 0; i < count && printed; i++) printed = !sameRange(text, nameBounds[2 * i]!, nameBounds[2 * i + 1]!, end + 1, nameEnd);
        nameBounds[2 * count] = end + 1;
        nameBounds[2 * count + 1] = nameEnd;
        count++;
      }
    }
    end = next;
  }
  if (into !== undefined && end > paramsStart) {
    if (printed) into.receivedParams(text.slice(paramsStart, end));
    else into.params = uriParamMap(text, paramsStart, end, true);
  }
  if (end < text.length) {
    // ? header *( & header ): every segment, empty ones included, must be hname [= hvalue].
    let start = end + 1;
    for (;;) {
      let stop = text.indexOf('&', start);
      if (stop === -1) stop = text.length;
      let eq = text.indexOf('=', start);
      if (eq >= stop) eq = -1;
      const nameEnd = eq === -1 ? stop : eq;
      if (nameEnd === start || !allIn(text, start, nameEnd, HEADER) || !allIn(text, nameEnd + 1, stop, HEADER)) {
        return 'URI header';
      }
      into?.headers.set(text.slice(start, nameEnd), eq === -1 ? '' : text.slice(eq + 1, stop));
      if (stop === text.length) break;
      start = stop + 1;
    }
  }
  return undefined;
}

/**
 * A SIP/SIPS URI (RFC 3261 §19.1) or, for other schemes, the scheme and an
 * opaque remainder. Escapes are never decoded: `user` and parameters stay
 * exactly as received, so `value%41` is not `valueA` (RFC 4475 esc01).
 */
export class SipUri {
  scheme = 'sip';
  user?: string;
  password?: string;
  host = '';
  port?: number;
  opaque?: string;
  // Most URIs on the wire have no headers and few have parameters: the maps are created on first use.
  private paramMap?: Map<string, string | null>;
  private headerMap?: Map<string, string>;
  /**
   * Received parameters as their text (`;lr;transport=tcp`) while no map is
   * asked for: they are in printed form, so `param` finds a value in it and
   * `toString` prints it as it came. A forwarded Record-Route or Route URI
   * is read for one or two parameters and printed, never changed. Set in
   * every URI from the start, so that URIs with and without it, parsed or
   * cloned, share one shape.
   */
  private paramText: string | undefined = undefined;

  get params(): Map<string, string | null> {
    if (this.paramMap === undefined) {
      this.paramMap = this.paramText === undefined ? new Map() : uriParamMap(this.paramText, 0, this.paramText.length, false);
      this.paramText = undefined;
    }
    return this.paramMap;
  }

  set params(params: Map<string, string | null>) {
    this.paramMap = params;
    this.paramText = undefined;
  }

  /** @internal Parameters scanUri found in printed form. */
  receivedParams(text: string): void {
    this.paramText = text;
  }

  get headers(): Map<string, string> {
    this.headerMap ??= new Map();
    return this.headerMap;
  }

  set headers(headers: Map<string, string>) {
    this.headerMap = headers;
  }

  get transport(): string | undefined {
    return this.param('transport') ?? undefined;
  }

  /** A parameter's value (`name` in lower case), null for one without a value, undefined when absent: unlike `params`, a read makes no map. */
  param(name: string): string | null | undefined {
    if (this.paramMap !== undefined) return this.paramMap.get(name);
    return this.paramText === undefined ? undefined : findUriParam(this.paramText, name);
  }

  /** Whether the URI has headers (`?name=value`): unlike `headers`, asking makes no map. */
  get hasHeaders(): boolean {
    return this.headerMap !== undefined && this.headerMap.size > 0;
  }

  get isSip(): boolean {
    return this.scheme === 'sip' || this.scheme === 'sips';
  }

  /** Throws SleetError(SIP_PARSE) naming the faulty element. */
  static parse(text: string): SipUri {
    const uri = new SipUri();
    const fault = scanUri(text, uri);
    if (fault !== undefined) throw sipSyntaxError(fault, text);
    return uri;
  }

  /** What parse() would throw, without building the URI: for values read only when asked for. */
  static check(text: string): void {
    const fault = scanUri(text, undefined);
    if (fault !== undefined) throw sipSyntaxError(fault, text);
  }

  clone(): SipUri {
    const copy = new SipUri();
    copy.scheme = this.scheme;
    copy.user = this.user;
    copy.password = this.password;
    copy.host = this.host;
    copy.port = this.port;
    if (this.paramMap !== undefined) copy.paramMap = new Map(this.paramMap);
    copy.paramText = this.paramText;
    if (this.headerMap !== undefined) copy.headerMap = new Map(this.headerMap);
    copy.opaque = this.opaque;
    return copy;
  }

  toString(): string {
    if (this.opaque !== undefined) return `${this.scheme}:${this.opaque}`;
    let out = `${this.scheme}:`;
    if (this.user !== undefined) {
      out += this.password === undefined ? `${this.user}@` : `${this.user}:${this.password}@`;
    }
    out += this.port === undefined ? this.host : `${this.host}:${this.port}`;
    if (this.paramMap !== undefined) out += formatParams(this.paramMap);
    else if (this.paramText !== undefined) out += this.paramText;
    if (this.headerMap !== undefined && this.headerMap.size > 0) {
      out += `?${[...this.headerMap].map(([name, value]) => `${name}=${value}`).join('&')}`;
    }
    return out;
  }
}
