import { formatParams } from './header-params.js';
import { parseBoundedInt } from './lexical.js';
import { sipSyntaxError } from './sip-syntax-error.js';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;
// RFC 3261 §25.1 character sets; %HH escapes are accepted everywhere and kept as they are.
const UNRESERVED = "-_.!~*'()";
const USER = charTable(`${UNRESERVED}&=+$,;?/`);
const PASSWORD = charTable(`${UNRESERVED}&=+$,`);
const PARAM = charTable(`${UNRESERVED}[]/:&+$`);
const HEADER = charTable(`${UNRESERVED}[]/?:+$`);
const HOST = charTable('-._');
const IPV6_REFERENCE = /^\[[0-9A-Fa-f:.]+\]$/;
// absoluteURI (RFC 3261 §25.1): anything printable but LWS, quotes and angle brackets.
const OPAQUE = /^[^\s<>"]+$/;

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
  params = new Map<string, string | null>();
  headers = new Map<string, string>();
  opaque?: string;

  get transport(): string | undefined {
    return this.params.get('transport') ?? undefined;
  }

  get isSip(): boolean {
    return this.scheme === 'sip' || this.scheme === 'sips';
  }

  static parse(text: string): SipUri {
    const uri = new SipUri();
    const colon = text.indexOf(':');
    if (colon <= 0 || !SCHEME.test(text.slice(0, colon))) throw sipSyntaxError('URI', text);
    uri.scheme = text.slice(0, colon).toLowerCase();
    const rest = text.slice(colon + 1);
    if (!uri.isSip) {
      if (!OPAQUE.test(rest)) throw sipSyntaxError('URI', text);
      uri.opaque = rest;
      return uri;
    }
    const at = rest.indexOf('@');
    let pos = 0;
    if (at !== -1) {
      const pc = rest.indexOf(':');
      const userEnd = pc !== -1 && pc < at ? pc : at;
      if (userEnd === 0 || !allIn(rest, 0, userEnd, USER)) throw sipSyntaxError('URI user', text);
      uri.user = rest.slice(0, userEnd);
      if (userEnd !== at) {
        if (!allIn(rest, userEnd + 1, at, PASSWORD)) throw sipSyntaxError('URI password', text);
        uri.password = rest.slice(userEnd + 1, at);
      }
      pos = at + 1;
    }
    let end = pos;
    while (end < rest.length && rest.charCodeAt(end) !== 0x3b && rest.charCodeAt(end) !== 0x3f) end++;
    SipUri.parseHostPort(uri, rest.slice(pos, end), text);
    while (end < rest.length && rest.charCodeAt(end) === 0x3b) {
      let next = end + 1;
      let eq = -1;
      for (; next < rest.length; next++) {
        const code = rest.charCodeAt(next);
        if (code === 0x3b || code === 0x3f) break;
        if (code === 0x3d && eq === -1) eq = next;
      }
      const nameEnd = eq === -1 ? next : eq;
      if (nameEnd === end + 1 || !allIn(rest, end + 1, nameEnd, PARAM)) throw sipSyntaxError('URI parameter', text);
      if (eq !== -1 && (eq + 1 === next || !allIn(rest, eq + 1, next, PARAM))) {
        throw sipSyntaxError('URI parameter', text);
      }
      uri.params.set(rest.slice(end + 1, nameEnd).toLowerCase(), eq === -1 ? null : rest.slice(eq + 1, next));
      end = next;
    }
    if (end < rest.length) {
      for (const header of rest.slice(end + 1).split('&')) {
        const eq = header.indexOf('=');
        const nameEnd = eq === -1 ? header.length : eq;
        if (nameEnd === 0 || !allIn(header, 0, nameEnd, HEADER) || !allIn(header, nameEnd + 1, header.length, HEADER)) {
          throw sipSyntaxError('URI header', text);
        }
        uri.headers.set(header.slice(0, nameEnd), eq === -1 ? '' : header.slice(eq + 1));
      }
    }
    return uri;
  }

  private static parseHostPort(uri: SipUri, hostport: string, text: string): void {
    let host = hostport;
    const close = hostport.lastIndexOf(']');
    const colon = hostport.indexOf(':', close + 1);
    if (colon !== -1) {
      const port = parseBoundedInt(hostport.slice(colon + 1), 65535);
      if (port === undefined) throw sipSyntaxError('URI port', text);
      uri.port = port;
      host = hostport.slice(0, colon);
    }
    if (host.length === 0 || (!allIn(host, 0, host.length, HOST) && !IPV6_REFERENCE.test(host))) throw sipSyntaxError('URI host', text);
    uri.host = host;
  }

  clone(): SipUri {
    const copy = new SipUri();
    copy.scheme = this.scheme;
    copy.user = this.user;
    copy.password = this.password;
    copy.host = this.host;
    copy.port = this.port;
    copy.params = new Map(this.params);
    copy.headers = new Map(this.headers);
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
    out += formatParams(this.params);
    if (this.headers.size > 0) {
      out += `?${[...this.headers].map(([name, value]) => `${name}=${value}`).join('&')}`;
    }
    return out;
  }
}
