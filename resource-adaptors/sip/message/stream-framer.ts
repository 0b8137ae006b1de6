import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { DEFAULT_MAX_MESSAGE_SIZE } from './constants.js';
import type { ParseOptions } from './parse-message.js';
import { scanHeaderSection } from './scan-header-section.js';
import { SipParseError } from './sip-parse-error.js';

export type FramedItem = { kind: 'message'; data: Buffer } | { kind: 'keepalive'; data: Buffer };

const CRLFCRLF = Buffer.from('\r\n\r\n');
const PING = Buffer.from('\r\n\r\n');
const PONG = Buffer.from('\r\n');
const DIGITS = /^[0-9]+$/;
const EMPTY = Buffer.alloc(0);

/**
 * TCP/TLS framing (RFC 3261 §18.3): feed chunks, get whole messages; CRLF
 * keep-alives (RFC 5626 §4.4.1: CRLFCRLF ping, CRLF pong) are reported
 * separately. A framing error (negative, non-numeric, conflicting or missing
 * Content-Length) is fatal: the caller closes the connection, and every later
 * push() throws the same error. A CRLF pong split across two chunks right
 * before a message is still one pong; a ping split after its first CRLF
 * reads as two pongs, which is harmless for keep-alive bookkeeping.
 */
export class StreamFramer {
  private readonly maxSize: number;
  private buffered: Buffer = EMPTY;
  /** Total length of the message at the head of the buffer, once its header section is complete. */
  private pendingLength = -1;
  private failure?: SleetError;

  constructor(options?: ParseOptions) {
    this.maxSize = options?.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  }

  /** Bytes held of a message not yet whole (0 between messages). */
  get pendingBytes(): number {
    return this.buffered.length;
  }

  push(chunk: Buffer): FramedItem[] {
    if (this.failure !== undefined) throw this.failure;
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const out: FramedItem[] = [];
    try {
      this.drain(out);
    } catch (err) {
      this.failure = err as SleetError;
      this.buffered = EMPTY;
      throw err;
    }
    return out;
  }

  private drain(out: FramedItem[]): void {
    for (;;) {
      const buf = this.buffered;
      if (buf.length === 0) return;
      if (this.pendingLength === -1) {
        if (buf[0] === 0x0d) {
          const keepalive = this.keepalive(buf);
          if (keepalive === undefined) return;
          out.push({ kind: 'keepalive', data: keepalive });
          this.buffered = buf.subarray(keepalive.length);
          continue;
        }
        const headEnd = buf.indexOf(CRLFCRLF);
        if (headEnd === -1) {
          if (buf.length > this.maxSize) throw this.tooLarge(buf.length);
          return;
        }
        this.pendingLength = headEnd + 4 + contentLength(buf.subarray(0, headEnd));
        if (this.pendingLength > this.maxSize) throw this.tooLarge(this.pendingLength);
      }
      if (buf.length < this.pendingLength) return;
      out.push({ kind: 'message', data: buf.subarray(0, this.pendingLength) });
      this.buffered = buf.subarray(this.pendingLength);
      this.pendingLength = -1;
    }
  }

  /** The keep-alive at the head of `buf`, or undefined while more bytes are needed to tell. */
  private keepalive(buf: Buffer): Buffer | undefined {
    if (buf.length < 2) return undefined;
    if (buf[1] !== 0x0a) throw fatal('Bad Request - stray CR between messages');
    if (buf.length === 2) return PONG;
    if (buf[2] !== 0x0d) return PONG;
    if (buf.length < 4) return undefined;
    return buf[3] === 0x0a ? PING : PONG;
  }

  private tooLarge(size: number): SleetError {
    return new SleetError(ErrorCode.SIP_MESSAGE_TOO_LARGE, `SIP message of ${size} bytes exceeds ${this.maxSize}`);
  }
}

function fatal(reason: string): SipParseError {
  return new SipParseError(400, reason, { isResponse: false });
}

/** RFC 3261 §18.3: on a stream, Content-Length is mandatory and must be unambiguous. */
function contentLength(head: Buffer): number {
  const values = scanHeaderSection(head.toString('latin1'))
    .slots.filter((slot) => slot.key === 'content-length')
    .map((slot) => slot.value);
  if (values.length === 0) throw fatal('Bad Request - missing Content-Length on a stream transport');
  if (!values.every((value) => DIGITS.test(value))) throw fatal('Bad Request - malformed Content-Length header');
  if (new Set(values.map(Number)).size > 1) throw fatal('Bad Request - conflicting Content-Length values');
  return Number(values[0]);
}
