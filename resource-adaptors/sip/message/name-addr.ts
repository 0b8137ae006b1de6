import { HeaderParamHolder } from './header-param-holder.js';
import { endOfQuotedString, isTokenChar, isWsp, quote, skipWsp, splitList, trimWsp, unquote } from './lexical.js';
import { sipSyntaxError } from './sip-syntax-error.js';
import { SipUri } from './uri.js';

/**
 * name-addr or addr-spec with header parameters: From, To, Contact, Route,
 * Record-Route, Reply-To... In the addr-spec form (no <>), everything after
 * the first `;` is a header parameter, not a URI parameter (RFC 4475
 * cparam01 vs cparam02), and the URI may hold neither `?` nor `,`.
 */
export class NameAddr extends HeaderParamHolder {
  displayName?: string;
  wildcard = false;
  private parsedUri?: SipUri;
  /** Validated URI text, parsed on first read of `uri`: many readers only want the tag. */
  private uriText?: string;

  constructor(uri?: SipUri, displayName?: string) {
    super();
    this.parsedUri = uri;
    this.displayName = displayName;
  }

  get uri(): SipUri {
    this.parsedUri ??= this.uriText === undefined ? new SipUri() : SipUri.parse(this.uriText);
    return this.parsedUri;
  }

  set uri(uri: SipUri) {
    this.parsedUri = uri;
  }

  get tag(): string | undefined {
    return this.param('tag') ?? undefined;
  }

  static parse(text: string): NameAddr {
    return NameAddr.read(text, false);
  }

  /**
   * For a header whose every reader wants the URI (Route, Record-Route):
   * the URI is parsed at once, rather than checked now and parsed again
   * when it is read. The same result and the same errors as `parse`.
   */
  static parseWithUri(text: string): NameAddr {
    return NameAddr.read(text, true);
  }

  private static read(text: string, withUri: boolean): NameAddr {
    text = trimWsp(text);
    const addr = new NameAddr();
    if (text === '*') {
      addr.wildcard = true;
      return addr;
    }
    let pos = 0;
    if (text.charCodeAt(0) === 0x22) {
      const end = endOfQuotedString(text, 0);
      if (end === -1) throw sipSyntaxError('display name', text);
      addr.displayName = unquote(text.slice(0, end));
      pos = skipWsp(text, end);
      if (text.charCodeAt(pos) !== 0x3c) throw sipSyntaxError('name-addr', text);
    } else {
      // A display name is tokens separated by LWS; the first non-token
      // character tells the forms apart: '<' ends a display name, ':' is a URI scheme.
      while (pos < text.length && (isTokenChar(text.charCodeAt(pos)) || isWsp(text.charCodeAt(pos)))) pos++;
      const stop = text.charCodeAt(pos);
      if (stop === 0x3c) {
        const name = trimWsp(text.slice(0, pos));
        if (name.length > 0) addr.displayName = /\t| {2}/.test(name) ? name.replace(/[ \t]+/g, ' ') : name;
      } else if (stop === 0x3a && pos > 0 && !/[ \t]/.test(text.slice(0, pos))) {
        let end = text.indexOf(';', pos);
        if (end === -1) end = text.length;
        const uriText = trimWsp(text.slice(0, end));
        if (/[?,\s]/.test(uriText)) throw sipSyntaxError('addr-spec', text);
        addr.setUriText(uriText, withUri);
        addr.readParams(text, end, 'header parameters');
        return addr;
      } else {
        throw sipSyntaxError('name-addr', text);
      }
    }
    const close = text.indexOf('>', pos);
    if (close === -1) throw sipSyntaxError('name-addr', text);
    const uriText = text.slice(pos + 1, close);
    addr.setUriText(uriText, withUri);
    addr.readParams(text, close + 1, 'header parameters');
    return addr;
  }

  /** Checks the URI, or with `parse` parses it; the text is kept either way, so that both kinds have one shape. */
  private setUriText(uriText: string, parse: boolean): void {
    if (parse) this.parsedUri = SipUri.parse(uriText);
    else SipUri.check(uriText);
    this.uriText = uriText;
  }

  static parseList(text: string): NameAddr[] {
    return splitList(text).map((element) => NameAddr.parse(element));
  }

  clone(): NameAddr {
    const copy = new NameAddr(this.parsedUri?.clone(), this.displayName);
    copy.uriText = this.uriText;
    this.copyParamsTo(copy);
    copy.wildcard = this.wildcard;
    return copy;
  }

  override toString(): string {
    if (this.wildcard) return '*';
    const name = this.displayName === undefined ? '' : `${quote(this.displayName)} `;
    return `${name}<${this.uri.toString()}>${this.printParams()}`;
  }
}
