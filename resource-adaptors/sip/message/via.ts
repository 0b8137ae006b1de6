import { isIP } from 'node:net';
import { HeaderParamHolder } from './header-param-holder.js';
import { isTokenChar, isWsp, parseBoundedInt, skipWsp, splitList, upperCase } from './lexical.js';
import { sipSyntaxError } from './sip-syntax-error.js';

function isHostChar(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x2e || code === 0x2d || code === 0x5f;
}

/** The transports of RFC 3261 and its extensions as printed: a received one is this text (interned, compared by identity), not a slice. */
const TRANSPORTS = ['UDP', 'TCP', 'TLS', 'WS', 'WSS', 'SCTP', 'TLS-SCTP'];

function transportAt(text: string, start: number, end: number): string {
  for (const known of TRANSPORTS) if (known.length === end - start && text.startsWith(known, start)) return known;
  return upperCase(text.slice(start, end));
}

function readToken(text: string, pos: number): number {
  while (pos < text.length && isTokenChar(text.charCodeAt(pos))) pos++;
  return pos;
}

/** One Via value (RFC 3261 §20.42): sent-protocol, sent-by and via-params. */
export class Via extends HeaderParamHolder {
  protocol = 'SIP/2.0';
  transport = 'UDP';
  host = '';
  port?: number;

  constructor(transport?: string, host?: string, port?: number) {
    super();
    if (transport !== undefined) this.transport = upperCase(transport);
    if (host !== undefined) this.host = host;
    this.port = port;
  }

  get branch(): string | undefined {
    return this.param('branch') ?? undefined;
  }

  get received(): string | undefined {
    return this.param('received') ?? undefined;
  }

  get rport(): number | null | undefined {
    const value = this.param('rport');
    return value === undefined ? undefined : value === null ? null : Number(value);
  }

  static parse(text: string): Via {
    const via = new Via();
    // sent-protocol: name SLASH version SLASH transport, with SWS around each slash.
    let pos = skipWsp(text, 0);
    const nameStart = pos;
    const nameEnd = readToken(text, pos);
    pos = skipWsp(text, nameEnd);
    if (nameEnd === nameStart || text.charCodeAt(pos) !== 0x2f) throw sipSyntaxError('Via header', text);
    pos = skipWsp(text, pos + 1);
    const versionStart = pos;
    const versionEnd = readToken(text, pos);
    pos = skipWsp(text, versionEnd);
    if (versionEnd === versionStart || text.charCodeAt(pos) !== 0x2f) throw sipSyntaxError('Via header', text);
    pos = skipWsp(text, pos + 1);
    const transportEnd = readToken(text, pos);
    if (transportEnd === pos || !isWsp(text.charCodeAt(transportEnd))) throw sipSyntaxError('Via header', text);
    // SIP/2.0 is recognised in place: no slice of either part.
    if (nameEnd - nameStart !== 3 || versionEnd - versionStart !== 3 || !text.startsWith('SIP', nameStart) || !text.startsWith('2.0', versionStart)) {
      via.protocol = `${upperCase(text.slice(nameStart, nameEnd))}/${text.slice(versionStart, versionEnd)}`;
    }
    via.transport = transportAt(text, pos, transportEnd);
    pos = skipWsp(text, transportEnd);
    // sent-by: host [ COLON port ]
    const hostStart = pos;
    if (text.charCodeAt(pos) === 0x5b) {
      const close = text.indexOf(']', pos);
      if (close === -1 || isIP(text.slice(pos + 1, close)) !== 6) throw sipSyntaxError('Via header', text);
      pos = close + 1;
    } else {
      while (pos < text.length && isHostChar(text.charCodeAt(pos))) pos++;
    }
    if (pos === hostStart) throw sipSyntaxError('Via header', text);
    via.host = text.slice(hostStart, pos);
    let after = skipWsp(text, pos);
    if (text.charCodeAt(after) === 0x3a) {
      after = skipWsp(text, after + 1);
      let portEnd = after;
      while (portEnd < text.length && text.charCodeAt(portEnd) >= 0x30 && text.charCodeAt(portEnd) <= 0x39) portEnd++;
      const port = parseBoundedInt(text, 65535, after, portEnd);
      if (port === undefined) throw sipSyntaxError('Via header', text);
      via.port = port;
      after = portEnd;
    }
    via.readParams(text, after, 'Via header');
    return via;
  }

  static parseList(text: string): Via[] {
    return splitList(text).map((element) => Via.parse(element));
  }

  clone(): Via {
    const copy = new Via(this.transport, this.host, this.port);
    copy.protocol = this.protocol;
    this.copyParamsTo(copy);
    return copy;
  }

  override toString(): string {
    const sentBy = this.port === undefined ? this.host : `${this.host}:${this.port}`;
    return `${this.protocol}/${this.transport} ${sentBy}${this.printParams()}`;
  }
}
