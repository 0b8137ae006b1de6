import { isUtf8 } from 'node:buffer';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { DEFAULT_MAX_MESSAGE_SIZE } from './constants.js';
import { isToken, upperCase } from './lexical.js';
import { scanHeaderSection } from './scan-header-section.js';
import { SipParseError } from './sip-parse-error.js';
import { sipMethod } from './sip-methods.js';
import { SipRequest } from './sip-request.js';
import { SipResponse } from './sip-response.js';
import { SipUri } from './uri.js';

export interface ParseOptions {
  /** Largest message accepted, in bytes; default 65535. */
  maxMessageSize?: number;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const SIP_VERSION = /^SIP\/[0-9]+\.[0-9]+$/i;
const EMPTY = Buffer.alloc(0);

/**
 * Parses one datagram (or one framed stream message). Bytes beyond
 * Content-Length are ignored (RFC 3261 §18.3); a missing Content-Length
 * on a datagram means "body = rest". Throws SipParseError, or
 * SleetError(SIP_MESSAGE_TOO_LARGE) above `maxMessageSize`.
 * The message's body and toBuffer() share memory with `data`.
 */
export function parseMessage(data: Buffer, options?: ParseOptions): SipRequest | SipResponse {
  const maxSize = options?.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  if (data.length > maxSize) {
    throw new SleetError(ErrorCode.SIP_MESSAGE_TOO_LARGE, `SIP message of ${data.length} bytes exceeds ${maxSize}`);
  }
  // RFC 3261 §7.5: CRLFs before the start line are ignored.
  let start = 0;
  while (data[start] === 0x0d && data[start + 1] === 0x0a) start += 2;
  const headEnd = data.indexOf(CRLFCRLF, start);
  const headStop = headEnd === -1 ? data.length : headEnd;
  // The header section ends at a CR, which no UTF-8 sequence spans: when the whole datagram is valid UTF-8 so is
  // the section, and a view of the section is made only for a datagram that is not (a binary body, or bad bytes).
  const encoding = isUtf8(data) || isUtf8(data.subarray(start, headStop)) ? 'utf8' : 'latin1';
  const scan = scanHeaderSection(data.toString(encoding, start, headStop));

  const message = parseStartLine(scan.startLine);
  const isResponse = !message.isRequest;
  const fail = (status: number, reason: string, cause?: unknown) => new SipParseError(status, reason, { isResponse, partial: message, cause });
  message.initFromWire(scan.slots, EMPTY, undefined, encoding, scan.text);

  if (message instanceof SipRequest) checkRequestLine(message, scan.startLine, fail);
  if (scan.badLine !== undefined) throw fail(400, 'Bad Request - malformed header line');
  if (headEnd === -1) {
    // Report the header fault first when there is one: it names the problem better.
    checkHeaders(message, fail);
    throw fail(400, 'Bad Request - no empty line after the header fields');
  }
  const bodyStart = headEnd + 4;
  const body = frameBody(message, data, bodyStart, fail);
  const end = bodyStart + body.length;
  // Most datagrams are one message and nothing else: then the received buffer itself is the message's bytes.
  message.initFromWire(scan.slots, body, start === 0 && end === data.length ? data : data.subarray(start, end), encoding, scan.text);
  checkHeaders(message, fail);
  return message;
}

type Fail = (status: number, reason: string, cause?: unknown) => SipParseError;

/**
 * Headers checked while parsing: the ones any element needs to route the
 * message or answer it, so a malformed one is a 400 (or a dropped response)
 * right away (only the top Via: no receiver reads the others). Their parsed
 * forms are cached, so proxies pay nothing more to read them. Everything
 * else is parsed lazily by the typed accessors, and semantic checks
 * (missing/duplicated headers, CSeq method mismatch) are left to
 * validateRequest(). The reads are written out here, not taken from a table
 * of closures, for the reason `validateRequest` gives.
 */
function checkHeaders(message: SipRequest | SipResponse, fail: Fail): void {
  let name = '';
  try {
    if (message.hasKey('via')) {
      name = 'Via';
      void message.topVia;
    }
    if (message.hasKey('cseq')) {
      name = 'CSeq';
      void message.cseq;
    }
    if (message.hasKey('from')) {
      name = 'From';
      void message.from;
    }
    if (message.hasKey('to')) {
      name = 'To';
      void message.to;
    }
    if (message.hasKey('call-id')) {
      name = 'Call-ID';
      void message.callId;
    }
    if (message.hasKey('max-forwards')) {
      name = 'Max-Forwards';
      void message.maxForwards;
    }
    if (message.hasKey('contact')) {
      name = 'Contact';
      void message.contacts;
    }
  } catch (err) {
    throw fail(400, `Bad Request - malformed ${name} header`, err);
  }
}

/** Status-Code = 3DIGIT, 100 to 699 (RFC 3261 §7.2, §21), read without a regular expression: every response has one. */
function isStatusCode(code: string): boolean {
  if (code.length !== 3) return false;
  const first = code.charCodeAt(0);
  const second = code.charCodeAt(1);
  const third = code.charCodeAt(2);
  return first >= 0x31 && first <= 0x36 && second >= 0x30 && second <= 0x39 && third >= 0x30 && third <= 0x39;
}

function parseStartLine(line: string): SipRequest | SipResponse {
  if (line.startsWith('SIP/') || line.startsWith('sip/')) {
    const sp1 = line.indexOf(' ');
    const sp2 = sp1 === -1 ? -1 : line.indexOf(' ', sp1 + 1);
    const version = line.slice(0, sp1);
    const code = sp2 === -1 ? line.slice(sp1 + 1) : line.slice(sp1 + 1, sp2);
    if (sp1 === -1 || (version !== 'SIP/2.0' && !SIP_VERSION.test(version)) || !isStatusCode(code)) {
      throw new SipParseError(400, 'Bad Request - malformed Status-Line', { isResponse: true });
    }
    const response = new SipResponse(Number(code), sp2 === -1 ? '' : line.slice(sp2 + 1), version);
    if (upperCase(version) !== 'SIP/2.0') {
      throw new SipParseError(505, 'Version Not Supported', { isResponse: true, partial: response });
    }
    return response;
  }
  const sp1 = line.indexOf(' ');
  const sp2 = line.lastIndexOf(' ');
  if (sp1 > 0 && sp2 > sp1 + 1 && sp2 < line.length - 1) {
    return new SipRequest(sipMethod(line.slice(0, sp1)), line.slice(sp1 + 1, sp2), line.slice(sp2 + 1));
  }
  const words = line.split(' ').filter((field) => field.length > 0);
  if (words.length < 3) throw new SipParseError(400, 'Bad Request - malformed Request-Line', { isResponse: false });
  // Kept even when the line is malformed so that the 400 can still be built from the headers.
  return new SipRequest(sipMethod(words[0]!), words.slice(1, -1).join(' '), words[words.length - 1]);
}

/** RFC 3261 §25.1 Request-Line = Method SP Request-URI SP SIP-Version CRLF, single SPs, nothing else. */
function checkRequestLine(request: SipRequest, line: string, fail: Fail): void {
  if (request.version !== 'SIP/2.0') {
    if (!SIP_VERSION.test(request.version)) throw fail(400, 'Bad Request - malformed SIP-Version');
    if (request.version.toUpperCase() !== 'SIP/2.0') throw fail(505, 'Version Not Supported');
  }
  // RFC 4475 lwsstart/trws/lwsruri: extra or embedded SPs. A liberal element
  // "may" accept the first two, but it must never forward them, and this
  // layer cannot know whether its caller forwards: reject all of them.
  const sp1 = line.indexOf(' ');
  const sp2 = line.lastIndexOf(' ');
  if (sp1 <= 0 || sp2 === line.length - 1 || line.indexOf(' ', sp1 + 1) !== sp2 || sp2 === sp1 + 1) {
    throw fail(400, 'Bad Request - malformed Request-Line');
  }
  if (!isToken(request.method)) throw fail(400, 'Bad Request - malformed method');
  let uri: SipUri;
  try {
    uri = request.uri;
  } catch (err) {
    throw fail(400, 'Bad Request - malformed Request-URI', err);
  }
  // RFC 3261 §19.1.1: header components are not allowed in a Request-URI.
  if (uri.hasHeaders) throw fail(400, 'Bad Request - headers in Request-URI');
}

function frameBody(message: SipRequest | SipResponse, data: Buffer, bodyStart: number, fail: Fail): Buffer {
  const available = data.length - bodyStart;
  const count = message.countKey('content-length');
  if (count === 0) return data.subarray(bodyStart);
  // Nearly every message has one Content-Length: it is read without a list of the values.
  const values = count === 1 ? undefined : message.getAll('content-length');
  let length = -1;
  for (let i = 0; i < count; i++) {
    const parsed = parseDigits(values === undefined ? message.get('content-length')! : values[i]!);
    if (parsed === undefined) throw fail(400, 'Bad Request - malformed Content-Length header');
    if (length === -1) length = parsed;
    else if (parsed !== length) {
      // The framing is unknowable (RFC 4475 mcl01). A request still parses so that
      // validateRequest() can answer 400; a response has nobody to answer and is dropped.
      if (!message.isRequest) throw fail(400, 'Bad Request - conflicting Content-Length values');
      return data.subarray(bodyStart);
    }
  }
  if (length > available) throw fail(400, 'Bad Request - Content-Length larger than message');
  // No view for an empty body: a Buffer of length 0 cannot be written into, so one serves every message.
  return length === 0 ? EMPTY : data.subarray(bodyStart, bodyStart + length);
}

/** 1*DIGIT as a number (any size: it is only compared), or undefined. */
function parseDigits(text: string): number | undefined {
  if (text.length === 0) return undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return undefined;
  }
  return Number(text);
}
