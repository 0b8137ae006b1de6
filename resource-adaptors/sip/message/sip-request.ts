import { bodyBuffer, headersFromRecord } from './headers-from-record.js';
import { SipMessage } from './sip-message.js';
import { SipUri } from './uri.js';

export class SipRequest extends SipMessage {
  /** Case-sensitive as received: `RE%47IST%45R` is not REGISTER (RFC 4475 esc02). */
  method: string;
  version = 'SIP/2.0';
  private uriText: string;
  private parsedUri?: SipUri;
  private uriReplaced = false;
  private cleanMethod = '';
  private cleanVersion = '';
  /**
   * @internal The proxy core's memo of a received request: the URIs of its
   * own that Route processing took off (RFC 3261 §16.4) and the loop hash
   * (§16.6 step 8). Fields of the request rather than WeakMap entries,
   * whose ephemerons every scavenge has to visit. A clone has neither.
   */
  ownRoutes: SipUri[] | undefined = undefined;
  /** @internal See `ownRoutes`. */
  loopHash: string | undefined = undefined;

  /** @internal Use SipRequest.create() or parseMessage(). */
  constructor(method: string, uri: SipUri | string, version = 'SIP/2.0') {
    super();
    this.method = method;
    this.version = version;
    if (typeof uri === 'string') {
      this.uriText = uri;
    } else {
      this.parsedUri = uri;
      this.uriText = uri.toString();
    }
  }

  get isRequest(): boolean {
    return true;
  }

  /** The Request-URI, parsed on first use; throws SleetError(SIP_PARSE) if malformed. */
  get uri(): SipUri {
    this.parsedUri ??= SipUri.parse(this.uriText);
    return this.parsedUri;
  }

  set uri(uri: SipUri) {
    this.parsedUri = uri;
    this.uriReplaced = true;
    this.touch();
  }

  static create(method: string, uri: SipUri | string, headers?: Record<string, string | string[]>, body?: Buffer | string): SipRequest {
    const request = new SipRequest(method, uri);
    request.initFromWire(headersFromRecord(headers), bodyBuffer(body), undefined, 'utf8');
    return request;
  }

  protected startLine(): string {
    const uri = this.uriReplaced && this.parsedUri !== undefined ? this.parsedUri.toString() : this.uriText;
    return `${this.method} ${uri} ${this.version}`;
  }

  protected startLineChanged(): boolean {
    return this.uriReplaced || this.method !== this.cleanMethod || this.version !== this.cleanVersion;
  }

  protected markStartLineClean(): void {
    if (this.uriReplaced && this.parsedUri !== undefined) this.uriText = this.parsedUri.toString();
    this.uriReplaced = false;
    this.cleanMethod = this.method;
    this.cleanVersion = this.version;
  }

  protected startLineCopy(): this {
    const copy = new SipRequest(this.method, this.uriText, this.version) as this;
    copy.uriReplaced = this.uriReplaced;
    copy.cleanMethod = this.cleanMethod;
    copy.cleanVersion = this.cleanVersion;
    return copy;
  }

  /** The proxy's memo (`ownRoutes`, `loopHash`) stays behind: the constructor left it empty. */
  protected override cloneStartLineInto(copy: this): void {
    if (this.parsedUri !== undefined) copy.parsedUri = this.parsedUri.clone();
  }
}
