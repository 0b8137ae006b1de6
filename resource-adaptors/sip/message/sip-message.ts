import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { isCallId } from './call-id.js';
import { compactForm } from './compact-form.js';
import { CSeq } from './cseq.js';
import { canonicalHeaderName, headerKey, isListHeader } from './header-names.js';
import type { HeaderSlot } from './header-slot.js';
import { firstListComma, parseBoundedInt, splitList, trimWsp } from './lexical.js';
import { NameAddr } from './name-addr.js';
import { Via } from './via.js';

const MAX_FORWARDS_LIMIT = 255;
const EMPTY_BODY = Buffer.alloc(0);
const MAX_EXPIRES = 0xffffffff;

/** Marks a typed accessor's cache entry as not parsed (undefined is a parsed value: "absent"). */
const UNPARSED = Symbol('unparsed');

// Cache entries of the typed accessors: an array slot each is cheaper to create and read than a Map.
const VIA = 0;
const TOP_VIA = 1;
const FROM = 2;
const TO = 3;
const CALL_ID = 4;
const CSEQ = 5;
const CONTACT = 6;
const ROUTE = 7;
const RECORD_ROUTE = 8;
const MAX_FORWARDS = 9;
const EXPIRES = 10;
const CACHE_ENTRY_BY_KEY: ReadonlyMap<string, number> = new Map([
  ['via', VIA],
  ['from', FROM],
  ['to', TO],
  ['call-id', CALL_ID],
  ['cseq', CSEQ],
  ['contact', CONTACT],
  ['route', ROUTE],
  ['record-route', RECORD_ROUTE],
  ['max-forwards', MAX_FORWARDS],
  ['expires', EXPIRES],
]);

/** Text up to this long is copied into a buffer character by character: less work than the call into C++ that `write` makes. */
const SHORT_TEXT = 32;

/** `out.write(text, at, encoding)`, with short ASCII text (a header name, Max-Forwards, Content-Length) copied here. */
function writeText(out: Buffer, text: string, at: number, encoding: 'utf8' | 'latin1'): number {
  const length = text.length;
  if (length > SHORT_TEXT) return out.write(text, at, encoding);
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return i + out.write(text.slice(i), at + i, encoding);
    out[at + i] = code;
  }
  return length;
}

function emptyCache(): unknown[] {
  return [UNPARSED, UNPARSED, UNPARSED, UNPARSED, UNPARSED, UNPARSED, UNPARSED, UNPARSED, UNPARSED, UNPARSED, UNPARSED];
}

/**
 * A SIP request or response: start line, header slots in wire order, body.
 * Typed accessors parse on first use and cache; the returned objects are
 * snapshots, so change a header with set()/add()/remove() (which invalidate
 * the cache) - e.g. `msg.set('Via', [via.toString(), ...rest])`. An
 * unmodified message serialises to exactly the bytes it was parsed from.
 */
export abstract class SipMessage {
  body: Buffer = EMPTY_BODY;
  protected slots: HeaderSlot[] = [];
  /** Bytes this message was parsed from (or last serialised to) while unmodified. */
  protected raw?: Buffer;
  private rawBody?: Buffer;
  /** Header section as received, which slots' `textStart` offsets point into. */
  private headText = '';
  /** The received bytes when `textStart` offsets are byte offsets in them too (no multi-byte UTF-8 in the header section). */
  private headBytes?: Buffer;
  private modified = false;
  /** Encoding of the header section: UTF-8 unless the received bytes were not valid UTF-8. */
  protected headerEncoding: 'utf8' | 'latin1' = 'utf8';
  private cache = emptyCache();

  abstract get isRequest(): boolean;
  protected abstract startLine(): string;
  /** True when a start-line field differs from what `raw` holds. */
  protected abstract startLineChanged(): boolean;
  /** Records the current start-line fields as the ones `raw` holds. */
  protected abstract markStartLineClean(): void;

  /** @internal Used by parseMessage once the bytes are framed. */
  initFromWire(slots: HeaderSlot[], body: Buffer, raw: Buffer | undefined, encoding: 'utf8' | 'latin1', headText = ''): void {
    this.slots = slots;
    this.headText = headText;
    this.body = body;
    this.rawBody = body;
    this.raw = raw;
    // raw is the header section, CRLFCRLF and the body: offsets agree when the section decoded one character per byte.
    this.headBytes = raw !== undefined && raw.length - body.length - 4 === headText.length ? raw : undefined;
    this.headerEncoding = encoding;
    this.markStartLineClean();
  }

  get(name: string): string | undefined {
    const key = headerKey(name);
    for (const slot of this.slots) {
      if (slot.key === key) return isListHeader(key) ? splitList(slot.value)[0] : slot.value;
    }
    return undefined;
  }

  getAll(name: string): string[] {
    return this.valuesOf(headerKey(name));
  }

  has(name: string): boolean {
    return this.hasKey(headerKey(name));
  }

  /** @internal has() for a key already in lower-case long form. */
  hasKey(key: string): boolean {
    for (const slot of this.slots) if (slot.key === key) return true;
    return false;
  }

  /** @internal How many lines carry a key already in lower-case long form (values of a comma-joined list count once). */
  countKey(key: string): number {
    let count = 0;
    for (const slot of this.slots) if (slot.key === key) count++;
    return count;
  }

  set(name: string, value: string | string[]): void {
    const key = headerKey(name);
    if (typeof value === 'string' && this.setOne(key, name, value)) return;
    const values = typeof value === 'string' ? [value] : value;
    const at = this.slots.findIndex((slot) => slot.key === key);
    this.slots = this.slots.filter((slot) => slot.key !== key);
    const added = values.map((v) => ({ key, name, value: v }));
    this.slots.splice(at === -1 ? this.slots.length : at, 0, ...added);
    this.changed(key);
  }

  /**
   * set() of one value where the header has at most one line: that line is
   * replaced where it stands, or one is appended, without a new slot list.
   * A proxy sets Max-Forwards on every request it forwards.
   */
  private setOne(key: string, name: string, value: string): boolean {
    const slots = this.slots;
    let at = -1;
    for (let i = 0; i < slots.length; i++) {
      if (slots[i].key !== key) continue;
      if (at !== -1) return false;
      at = i;
    }
    if (at === -1) slots.push({ key, name, value });
    else slots[at] = { key, name, value };
    this.changed(key);
    return true;
  }

  /** Appends after the last value of that header, or with `first` before its first value (Via, Record-Route). */
  add(name: string, value: string, first = false): void {
    const key = headerKey(name);
    const slot = { key, name, value };
    let at: number;
    if (first) {
      at = this.slots.findIndex((s) => s.key === key);
      if (at === -1) at = 0;
    } else {
      at = this.slots.length;
      for (let i = this.slots.length - 1; i >= 0; i--) {
        if (this.slots[i].key === key) {
          at = i + 1;
          break;
        }
      }
    }
    this.slots.splice(at, 0, slot);
    this.changed(key);
  }

  remove(name: string): void {
    const key = headerKey(name);
    this.slots = this.slots.filter((slot) => slot.key !== key);
    this.changed(key);
  }

  /**
   * Replaces the first Via value and nothing else: the other values, in
   * the same line or in others, keep their received text. Adds one when
   * there is no Via. `via` becomes what topVia returns.
   */
  setTopVia(via: Via): void {
    const value = via.toString();
    const at = this.slots.findIndex((s) => s.key === 'via');
    if (at === -1) this.slots.unshift({ key: 'via', name: 'Via', value });
    else this.replaceTopVia(at, { key: 'via', name: this.slots[at].name, value });
    this.changed('via');
    this.cache[TOP_VIA] = via;
  }

  /** Adds `via` as the first Via value (a request going downstream); `via` becomes what topVia returns. */
  prependVia(via: Via): void {
    this.add('Via', via.toString(), true);
    this.cache[TOP_VIA] = via;
  }

  /** Removes the first Via value (a response going upstream) and nothing else. */
  removeTopVia(): void {
    const at = this.slots.findIndex((s) => s.key === 'via');
    if (at === -1) return;
    this.replaceTopVia(at, undefined);
    this.changed('via');
  }

  /** The first value of the Via slot at `at` replaced by `top` (or removed); the rest of that line becomes a slot of its own. */
  private replaceTopVia(at: number, top: HeaderSlot | undefined): void {
    const slot = this.slots[at];
    const comma = firstListComma(slot.value);
    const rest = comma === -1 ? undefined : { key: 'via', name: slot.name, value: trimWsp(slot.value.slice(comma + 1)) };
    if (top !== undefined && rest !== undefined) this.slots.splice(at, 1, top, rest);
    else if (top !== undefined || rest !== undefined) this.slots[at] = (top ?? rest)!;
    else this.slots.splice(at, 1);
  }

  headerNames(): string[] {
    const seen = new Map<string, string>();
    for (const slot of this.slots) if (!seen.has(slot.key)) seen.set(slot.key, canonicalHeaderName(slot.key, slot.name));
    return [...seen.values()];
  }

  get vias(): Via[] {
    return this.typed(VIA, SipMessage.parseVias);
  }

  /** Parses only the first Via value unless all of them already are: receivers look at no other (RFC 3261 §18.2). */
  get topVia(): Via | undefined {
    if (this.cache[VIA] !== UNPARSED) return this.vias[0];
    return this.typed(TOP_VIA, SipMessage.parseTopVia);
  }

  get from(): NameAddr {
    return this.typed(FROM, SipMessage.parseFrom);
  }

  get to(): NameAddr {
    return this.typed(TO, SipMessage.parseTo);
  }

  get callId(): string {
    return this.typed(CALL_ID, SipMessage.parseCallId);
  }

  get cseq(): CSeq {
    return this.typed(CSEQ, SipMessage.parseCSeq);
  }

  get contacts(): NameAddr[] {
    return this.typed(CONTACT, SipMessage.parseContacts);
  }

  get routes(): NameAddr[] {
    return this.typed(ROUTE, SipMessage.parseRoutes);
  }

  get recordRoutes(): NameAddr[] {
    return this.typed(RECORD_ROUTE, SipMessage.parseRecordRoutes);
  }

  get maxForwards(): number | undefined {
    return this.typed(MAX_FORWARDS, SipMessage.parseMaxForwards);
  }

  get contentLength(): number {
    return this.body.length;
  }

  get contentType(): string | undefined {
    return this.get('content-type');
  }

  get expires(): number | undefined {
    return this.typed(EXPIRES, SipMessage.parseExpires);
  }

  // Parsers of the typed accessors: static, so that reading a field allocates no closure.
  /** The top value is the one `topVia` parsed already, when it did: a request's Vias are read after its top one. */
  private static parseVias(m: SipMessage): Via[] {
    const top = m.cache[TOP_VIA];
    return m.valuesOf('via').map((v, i) => (i === 0 && top instanceof Via ? top : parseAs('Via', v, Via.parse)));
  }

  private static parseTopVia(m: SipMessage): Via | undefined {
    const value = m.get('via');
    return value === undefined ? undefined : parseAs('Via', value, Via.parse);
  }

  private static parseFrom(m: SipMessage): NameAddr {
    return parseAs('From', m.required('from', 'From'), NameAddr.parse);
  }

  private static parseTo(m: SipMessage): NameAddr {
    return parseAs('To', m.required('to', 'To'), NameAddr.parse);
  }

  private static parseCallId(m: SipMessage): string {
    const value = m.required('call-id', 'Call-ID');
    if (!isCallId(value)) throw malformed('Call-ID', value);
    return value;
  }

  private static parseCSeq(m: SipMessage): CSeq {
    return parseAs('CSeq', m.required('cseq', 'CSeq'), CSeq.parse);
  }

  private static parseContacts(m: SipMessage): NameAddr[] {
    return m.valuesOf('contact').map((v) => parseAs('Contact', v, NameAddr.parse));
  }

  private static parseRoutes(m: SipMessage): NameAddr[] {
    return m.valuesOf('route').map((v) => parseAs('Route', v, NameAddr.parseWithUri));
  }

  private static parseRecordRoutes(m: SipMessage): NameAddr[] {
    return m.valuesOf('record-route').map((v) => parseAs('Record-Route', v, NameAddr.parseWithUri));
  }

  private static parseMaxForwards(m: SipMessage): number | undefined {
    return m.optionalInt('max-forwards', 'Max-Forwards', MAX_FORWARDS_LIMIT);
  }

  private static parseExpires(m: SipMessage): number | undefined {
    return m.optionalInt('expires', 'Expires', MAX_EXPIRES);
  }

  toBuffer(): Buffer {
    if (this.raw !== undefined && !this.modified && this.body === this.rawBody && !this.startLineChanged()) {
      return this.raw;
    }
    const length = String(this.body.length);
    let lengthWritten = false;
    const slots: HeaderSlot[] = [];
    for (const slot of this.slots) {
      if (slot.key === 'content-length') {
        if (lengthWritten) continue;
        lengthWritten = true;
        // A new slot: a clone may share this one.
        if (slot.value !== length) {
          slots.push({ key: slot.key, name: slot.name, value: length });
          continue;
        }
      }
      slots.push(slot);
    }
    if (!lengthWritten) slots.push({ key: 'content-length', name: 'Content-Length', value: length });
    const out = this.headBytes === undefined ? this.printed(slots) : this.patched(slots, this.headBytes);
    this.slots = slots;
    this.raw = out;
    this.rawBody = this.body;
    this.modified = false;
    this.markStartLineClean();
    return out;
  }

  /**
   * The received bytes patched: runs of lines received in the form printed
   * here are copied as they are, other lines (new or changed ones, folded
   * or unusually spelled ones) are written.
   */
  private patched(slots: HeaderSlot[], wire: Buffer): Buffer {
    const encoding = this.headerEncoding;
    const startLine = this.startLine();
    // Lines are written into the buffer part by part: no line string, no list of them. Text is sized by its
    // most bytes (UTF-8 takes at most 3 a UTF-16 unit) rather than counted, a call into C++ a string, and the
    // buffer is cut to what was written.
    const most = encoding === 'utf8' ? 3 : 1;
    let size = startLine.length * most + 4 + this.body.length;
    for (const slot of slots) {
      size +=
        slot.textStart !== undefined
          ? slot.name.length + slot.value.length + 4
          : (canonicalHeaderName(slot.key, slot.name).length + slot.value.length) * most + 4;
    }
    const out = Buffer.allocUnsafe(size);
    let at = writeText(out, startLine, 0, encoding);
    out[at++] = 0x0d;
    out[at++] = 0x0a;
    let runStart = -1;
    let runEnd = -1;
    for (const slot of slots) {
      const start = slot.textStart;
      if (start !== undefined) {
        if (start !== runEnd) {
          if (runStart !== -1) at += wire.copy(out, at, runStart, runEnd);
          runStart = start;
        }
        runEnd = start + slot.name.length + slot.value.length + 4;
        continue;
      }
      if (runStart !== -1) at += wire.copy(out, at, runStart, runEnd);
      runStart = runEnd = -1;
      at += writeText(out, canonicalHeaderName(slot.key, slot.name), at, encoding);
      out[at++] = 0x3a;
      out[at++] = 0x20;
      at += writeText(out, slot.value, at, encoding);
      out[at++] = 0x0d;
      out[at++] = 0x0a;
    }
    if (runStart !== -1) at += wire.copy(out, at, runStart, runEnd);
    out[at++] = 0x0d;
    out[at++] = 0x0a;
    at += this.body.copy(out, at);
    return at === size ? out : out.subarray(0, at);
  }

  /** The header section printed as text (runs of lines received as printed reused as slices of the received text), then encoded. */
  private printed(slots: HeaderSlot[]): Buffer {
    let head = `${this.startLine()}\r\n`;
    let runStart = -1;
    let runEnd = -1;
    for (const slot of slots) {
      const start = slot.textStart;
      if (start !== undefined) {
        const end = start + slot.name.length + slot.value.length + 4;
        if (start !== runEnd) {
          if (runStart !== -1) head += this.headText.slice(runStart, runEnd);
          runStart = start;
        }
        runEnd = end;
        continue;
      }
      if (runStart !== -1) head += this.headText.slice(runStart, runEnd);
      runStart = runEnd = -1;
      head += `${canonicalHeaderName(slot.key, slot.name)}: ${slot.value}\r\n`;
    }
    if (runStart !== -1) head += this.headText.slice(runStart, runEnd);
    head += '\r\n';
    const headLength = Buffer.byteLength(head, this.headerEncoding);
    const out = Buffer.allocUnsafe(headLength + this.body.length);
    out.write(head, 0, this.headerEncoding);
    this.body.copy(out, headLength);
    return out;
  }

  /** The same message in the fewest bytes RFC 3261 allows (see compactForm); `toBuffer()` is unaffected. */
  toCompactBuffer(): Buffer {
    return compactForm(this.startLine(), this.slots, this.body, this.headerEncoding);
  }

  /**
   * Built by the constructor and filled field by field, in the order a
   * parsed message gets them, so that clones and parsed messages share one
   * hidden class (an `Object.assign` onto `Object.create` gave clones
   * another, and every accessor then met two).
   */
  clone(): this {
    const copy = this.startLineCopy();
    // Slots are replaced, never changed in place, so the copies share them.
    copy.slots = this.slots.slice();
    copy.headText = this.headText;
    // An empty body cannot be written into: every message may share the one.
    copy.body = this.body.length === 0 ? EMPTY_BODY : Buffer.from(this.body);
    copy.rawBody = this.body === this.rawBody ? copy.body : undefined;
    copy.raw = this.raw;
    copy.headBytes = this.headBytes;
    copy.headerEncoding = this.headerEncoding;
    copy.modified = this.modified;
    this.cloneStartLineInto(copy);
    return copy;
  }

  /**
   * @internal For a response whose Vias are `request`'s text: a copy of the
   * top Via the request has parsed, if it has, which the transport would
   * otherwise parse again to send the response. A copy, since a reader may
   * change what it is given.
   */
  protected copyTopViaOf(request: SipMessage): void {
    const vias = request.cache[VIA];
    const top = Array.isArray(vias) ? vias[0] : request.cache[TOP_VIA];
    if (top instanceof Via) this.cache[TOP_VIA] = top.clone();
  }

  /**
   * @internal For a response relayed upstream, whose Vias below the relay's
   * own (removed) are the request's: when it has parsed none and its first
   * Via line is the request's text, the copy `copyTopViaOf` gives, rather
   * than a second parse of that text to send it.
   */
  protected copyTopViaOfSameLine(request: SipMessage): void {
    if (this.cache[VIA] !== UNPARSED || this.cache[TOP_VIA] !== UNPARSED) return;
    const line = this.firstLineOf('via');
    if (line !== undefined && line === request.firstLineOf('via')) this.copyTopViaOf(request);
  }

  /** A new message of this kind with this start line and its clean state, and nothing else. */
  protected abstract startLineCopy(): this;

  /**
   * Deep-copies mutable start-line objects (the Request-URI) into a clone,
   * after its other fields, as a parsed message gets them. A response's
   * start line holds none: `startLineCopy()` copied its primitives.
   */
  protected cloneStartLineInto(_copy: this): void {}

  private valuesOf(key: string): string[] {
    const out: string[] = [];
    const list = isListHeader(key);
    for (const slot of this.slots) {
      if (slot.key !== key) continue;
      if (list) for (const v of splitList(slot.value)) out.push(v);
      else out.push(slot.value);
    }
    return out;
  }

  /** The first line's value of a header, a list header's other values included: the text as it is held. */
  private firstLineOf(key: string): string | undefined {
    for (const slot of this.slots) if (slot.key === key) return slot.value;
    return undefined;
  }

  private required(key: string, name: string): string {
    const value = this.firstLineOf(key);
    if (value !== undefined) return value;
    throw new SleetError(ErrorCode.SIP_PARSE, `missing ${name} header`, { details: { what: `${name} header` } });
  }

  private optionalInt(key: string, name: string, max: number): number | undefined {
    const value = this.get(key);
    if (value === undefined) return undefined;
    const parsed = parseBoundedInt(value, max);
    if (parsed === undefined) throw malformed(name, value);
    return parsed;
  }

  private typed<T>(entry: number, parse: (m: SipMessage) => T): T {
    const cached = this.cache[entry];
    if (cached !== UNPARSED) return cached as T;
    const value = parse(this);
    this.cache[entry] = value;
    return value;
  }

  private changed(key: string): void {
    const entry = CACHE_ENTRY_BY_KEY.get(key);
    if (entry !== undefined) this.cache[entry] = UNPARSED;
    if (entry === VIA) this.cache[TOP_VIA] = UNPARSED;
    this.modified = true;
  }

  /** Marks the message as needing re-serialisation (start-line setters). */
  protected touch(): void {
    this.modified = true;
  }
}

function malformed(name: string, value: string, cause?: unknown): SleetError {
  const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
  return new SleetError(ErrorCode.SIP_PARSE, `malformed ${name} header: ${JSON.stringify(shown)}`, {
    cause,
    details: { what: `${name} header` },
  });
}

function parseAs<T>(name: string, value: string, parse: (text: string) => T): T {
  try {
    return parse(value);
  } catch (err) {
    throw malformed(name, value, err);
  }
}
