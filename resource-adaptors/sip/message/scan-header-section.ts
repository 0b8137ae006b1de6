import { canonicalHeaderName, headerKey, knownSpellingAt } from './header-names.js';
import type { HeaderSlot } from './header-slot.js';
import { isTokenChar, isWsp, trimWsp } from './lexical.js';

export interface ScannedHead {
  /** The whole section, which slots' `textStart` offsets point into. */
  text: string;
  startLine: string;
  slots: HeaderSlot[];
  /** First line that is neither `name: value` nor a continuation, if any. */
  badLine?: string;
}

/**
 * Splits a header section (start line included, final CRLFCRLF excluded)
 * into the start line and header slots, unfolding continuation lines
 * (RFC 3261 §7.3.1: CRLF followed by SP/HT is whitespace). Never throws.
 * Works on offsets: a header costs the slice of its value (and of its name unless it is a usual spelling).
 */
export function scanHeaderSection(text: string): ScannedHead {
  let pos = text.indexOf('\r\n');
  const startLine = pos === -1 ? text : text.slice(0, pos);
  const slots: HeaderSlot[] = [];
  let badLine: string | undefined;
  while (pos !== -1) {
    const lineStart = pos + 2;
    pos = text.indexOf('\r\n', lineStart);
    const lineEnd = pos === -1 ? text.length : pos;
    // A section cut short by the end of a datagram ends with CRLF but no empty line.
    if (lineEnd === lineStart) {
      if (pos === -1) break;
      badLine ??= '';
      continue;
    }
    if (isWsp(text.charCodeAt(lineStart))) {
      const last = slots[slots.length - 1];
      if (last === undefined) badLine ??= text.slice(lineStart, lineEnd);
      else {
        const more = trimWsp(text.slice(lineStart, lineEnd));
        if (more.length > 0) last.value = last.value.length === 0 ? more : `${last.value} ${more}`;
        last.textStart = undefined;
      }
      continue;
    }
    // field-name = token, then HCOLON = *( SP / HTAB ) ":" SWS
    let i = lineStart;
    while (i < lineEnd && isTokenChar(text.charCodeAt(i))) i++;
    const nameEnd = i;
    while (i < lineEnd && isWsp(text.charCodeAt(i))) i++;
    if (nameEnd === lineStart || i === lineEnd || text.charCodeAt(i) !== 0x3a) {
      badLine ??= text.slice(lineStart, lineEnd);
      continue;
    }
    let valueStart = i + 1;
    let valueEnd = lineEnd;
    while (valueStart < valueEnd && isWsp(text.charCodeAt(valueStart))) valueStart++;
    while (valueEnd > valueStart && isWsp(text.charCodeAt(valueEnd - 1))) valueEnd--;
    const value = text.slice(valueStart, valueEnd);
    const known = knownSpellingAt(text, lineStart, nameEnd);
    let slot: HeaderSlot;
    let canonical: boolean;
    if (known !== undefined) {
      slot = { key: known.key, name: known.text, value, textStart: undefined };
      canonical = known.canonical;
    } else {
      const name = text.slice(lineStart, nameEnd);
      slot = { key: headerKey(name), name, value, textStart: undefined };
      canonical = canonicalHeaderName(slot.key, name) === name;
    }
    // Exactly `Name: value` CRLF (nothing before the colon, one SP after it, nothing trailing);
    // the last line's CRLF is not part of `text`.
    if (canonical && pos !== -1 && i === nameEnd && valueStart === i + 2 && valueEnd === lineEnd && text.charCodeAt(i + 1) === 0x20) {
      slot.textStart = lineStart;
    }
    slots.push(slot);
  }
  return { text, startLine, slots, badLine };
}
