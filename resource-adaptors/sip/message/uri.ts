import { formatParams } from './header-params.js';
import { parseBoundedInt } from './lexical.js';
import { sipSyntaxError } from './sip-syntax-error.js';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;
// RFC 3261 §25.1 user / password / paramchar / hname-hvalue, with %HH escapes kept as they are.
const USER = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2})+$/;
const PASSWORD = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,]|%[0-9A-Fa-f]{2})*$/;
const PARAM_CHARS = /^(?:[A-Za-z0-9\-_.!~*'()[\]/:&+$]|%[0-9A-Fa-f]{2})+$/;
const HEADER_CHARS = /^(?:[A-Za-z0-9\-_.!~*'()[\]/?:+$]|%[0-9A-Fa-f]{2})*$/;
const HOSTNAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_.])?$/;
const IPV6_REFERENCE = /^\[[0-9A-Fa-f:.]+\]$/;
// absoluteURI (RFC 3261 §25.1): anything printable but LWS, quotes and angle brackets.
const OPAQUE = /^[^\s<>"]+$/;

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
    let pos = 0;
    const at = rest.indexOf('@');
    if (at !== -1) {
      const userinfo = rest.slice(0, at);
      const pc = userinfo.indexOf(':');
      const user = pc === -1 ? userinfo : userinfo.slice(0, pc);
      if (!USER.test(user)) throw sipSyntaxError('URI user', text);
      uri.user = user;
      if (pc !== -1) {
        const password = userinfo.slice(pc + 1);
        if (!PASSWORD.test(password)) throw sipSyntaxError('URI password', text);
        uri.password = password;
      }
      pos = at + 1;
    }
    let end = pos;
    while (end < rest.length && rest.charCodeAt(end) !== 0x3b && rest.charCodeAt(end) !== 0x3f) end++;
    SipUri.parseHostPort(uri, rest.slice(pos, end), text);
    if (end < rest.length && rest.charCodeAt(end) === 0x3b) {
      const q = rest.indexOf('?', end);
      const paramText = rest.slice(end + 1, q === -1 ? rest.length : q);
      for (const param of paramText.split(';')) {
        const eq = param.indexOf('=');
        const name = eq === -1 ? param : param.slice(0, eq);
        if (!PARAM_CHARS.test(name)) throw sipSyntaxError('URI parameter', text);
        const value = eq === -1 ? null : param.slice(eq + 1);
        if (value !== null && !PARAM_CHARS.test(value)) throw sipSyntaxError('URI parameter', text);
        uri.params.set(name.toLowerCase(), value);
      }
      end = q === -1 ? rest.length : q;
    }
    if (end < rest.length) {
      for (const header of rest.slice(end + 1).split('&')) {
        const eq = header.indexOf('=');
        const name = eq === -1 ? header : header.slice(0, eq);
        const value = eq === -1 ? '' : header.slice(eq + 1);
        if (name.length === 0 || !HEADER_CHARS.test(name) || !HEADER_CHARS.test(value)) {
          throw sipSyntaxError('URI header', text);
        }
        uri.headers.set(name, value);
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
    if (!HOSTNAME.test(host) && !IPV6_REFERENCE.test(host)) throw sipSyntaxError('URI host', text);
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
