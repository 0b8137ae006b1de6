import { headerKey } from './header-names.js';
import type { HeaderSlot } from './header-slot.js';
import { isToken, isWsp, trimWsp } from './lexical.js';

export interface ScannedHead {
  startLine: string;
  slots: HeaderSlot[];
  /** First line that is neither `name: value` nor a continuation, if any. */
  badLine?: string;
}

/**
 * Splits a header section (start line included, final CRLFCRLF excluded)
 * into the start line and header slots, unfolding continuation lines
 * (RFC 3261 §7.3.1: CRLF followed by SP/HT is whitespace). Never throws.
 */
export function scanHeaderSection(text: string): ScannedHead {
  let pos = text.indexOf('\r\n');
  const startLine = pos === -1 ? text : text.slice(0, pos);
  const slots: HeaderSlot[] = [];
  let badLine: string | undefined;
  while (pos !== -1) {
    const lineStart = pos + 2;
    pos = text.indexOf('\r\n', lineStart);
    const line = pos === -1 ? text.slice(lineStart) : text.slice(lineStart, pos);
    // A section cut short by the end of a datagram ends with CRLF but no empty line.
    if (pos === -1 && line.length === 0) break;
    if (line.length > 0 && isWsp(line.charCodeAt(0))) {
      const last = slots[slots.length - 1];
      if (last === undefined) badLine ??= line;
      else {
        const more = trimWsp(line);
        if (more.length > 0) last.value = last.value.length === 0 ? more : `${last.value} ${more}`;
      }
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : trimWsp(line.slice(0, colon));
    if (!isToken(name)) {
      badLine ??= line;
      continue;
    }
    slots.push({ key: headerKey(name), name, value: trimWsp(line.slice(colon + 1)) });
  }
  return { startLine, slots, badLine };
}
