import { bodyBuffer, headersFromRecord } from './headers-from-record.js';
import { NameAddr } from './name-addr.js';
import { defaultReasonPhrase } from './reason-phrases.js';
import type { SipRequest } from './sip-request.js';
import { SipMessage } from './sip-message.js';

export class SipResponse extends SipMessage {
  status: number;
  reason: string;
  version = 'SIP/2.0';
  private cleanStatus = 0;
  private cleanReason = '';
  private cleanVersion = '';

  /** @internal Use SipResponse.create(), fromRequest() or parseMessage(). */
  constructor(status: number, reason?: string, version = 'SIP/2.0') {
    super();
    this.status = status;
    this.reason = reason ?? defaultReasonPhrase(status);
    this.version = version;
  }

  get isRequest(): boolean {
    return false;
  }

  static create(status: number, reason?: string, headers?: Record<string, string | string[]>, body?: Buffer | string): SipResponse {
    const response = new SipResponse(status, reason);
    response.initFromWire(headersFromRecord(headers), bodyBuffer(body), undefined, 'utf8');
    return response;
  }

  /**
   * RFC 3261 §8.2.6: copy Via(s), From, To (+ to-tag if given and absent),
   * Call-ID, CSeq from the request. Works from raw values so that it can
   * answer a request whose headers failed to parse (SipParseError.partial).
   */
  static fromRequest(req: SipRequest, status: number, reason?: string, toTag?: string): SipResponse {
    const headers: Record<string, string | string[]> = {};
    const vias = req.getAll('Via');
    if (vias.length > 0) headers['Via'] = vias;
    for (const name of ['From', 'To', 'Call-ID', 'CSeq']) {
      const value = req.get(name);
      if (value !== undefined) headers[name] = value;
    }
    const to = headers['To'];
    if (toTag !== undefined && typeof to === 'string' && !hasTag(to)) headers['To'] = `${to};tag=${toTag}`;
    const response = SipResponse.create(status, reason, headers);
    response.copyTopViaOf(req);
    return response;
  }

  /** @internal The server transaction, before it sends this response: see `copyTopViaOfSameLine`. */
  takeTopViaOf(request: SipRequest): void {
    this.copyTopViaOfSameLine(request);
  }

  protected startLine(): string {
    return `${this.version} ${this.status} ${this.reason}`;
  }

  protected startLineChanged(): boolean {
    return this.status !== this.cleanStatus || this.reason !== this.cleanReason || this.version !== this.cleanVersion;
  }

  protected markStartLineClean(): void {
    this.cleanStatus = this.status;
    this.cleanReason = this.reason;
    this.cleanVersion = this.version;
  }

  protected startLineCopy(): this {
    const copy = new SipResponse(this.status, this.reason, this.version) as this;
    copy.cleanStatus = this.cleanStatus;
    copy.cleanReason = this.cleanReason;
    copy.cleanVersion = this.cleanVersion;
    return copy;
  }
}

/** A To value that does not parse gets no tag added: the error response then echoes it as received. */
function hasTag(to: string): boolean {
  try {
    return NameAddr.parse(to).tag !== undefined;
  } catch {
    return true;
  }
}
