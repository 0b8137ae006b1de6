/**
 * Character-level helpers shared by the header parsers (RFC 3261 §25.1).
 * They work on strings decoded byte-for-byte or as UTF-8, never on regexes
 * with nested quantifiers, so that hostile input cannot make them backtrack.
 */

const TOKEN_CHARS = new Uint8Array(128);
for (const ch of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~") {
  TOKEN_CHARS[ch.charCodeAt(0)] = 1;
}

export function isTokenChar(code: number): boolean {
  return code < 128 && TOKEN_CHARS[code] === 1;
}

export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!isTokenChar(text.charCodeAt(i))) return false;
  return true;
}

/**
 * `text.toUpperCase()`, returning `text` itself when it has no lower-case
 * ASCII letter and no non-ASCII character: V8 upper-cases through a runtime
 * call, and what the wire carries (UDP, SIP/2.0) is upper case already.
 */
export function upperCase(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 0x61 && code <= 0x7a) || code > 0x7f) return text.toUpperCase();
  }
  return text;
}

export function isWsp(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** Trims SP/HT only (String#trim would also eat Unicode spaces that belong to a value). */
export function trimWsp(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isWsp(text.charCodeAt(start))) start++;
  while (end > start && isWsp(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Whether text[a, aEnd) and text[b, bEnd) are the same characters: two parameter names compared in place. */
export function sameRange(text: string, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let i = 0; i < aEnd - a; i++) if (text.charCodeAt(a + i) !== text.charCodeAt(b + i)) return false;
  return true;
}

export function skipWsp(text: string, pos: number): number {
  while (pos < text.length && isWsp(text.charCodeAt(pos))) pos++;
  return pos;
}

/**
 * Index just past the closing quote of the quoted-string opening at `pos`,
 * or -1 when it is not terminated. quoted-pair escapes any octet but CR/LF.
 */
export function endOfQuotedString(text: string, pos: number): number {
  for (let i = pos + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x5c) i++;
    else if (code === 0x22) return i + 1;
  }
  return -1;
}

/** Content of a quoted-string (quotes included in `quoted`) with quoted-pairs resolved. */
export function unquote(quoted: string): string {
  let out = '';
  for (let i = 1; i < quoted.length - 1; i++) {
    const ch = quoted[i];
    out += ch === '\\' ? quoted[++i] : ch;
  }
  return out;
}

export function quote(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/** Offset of the comma ending the first element of a comma-separated value (as splitList splits), or -1 when there is one element. */
export function firstListComma(value: string): number {
  if (value.indexOf(',') === -1) return -1;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x22) {
      const end = endOfQuotedString(value, i);
      if (end === -1) return -1;
      i = end - 1;
    } else if (code === 0x3c) angle = true;
    else if (code === 0x3e) angle = false;
    else if (code === 0x2c && !angle) return i;
  }
  return -1;
}

/**
 * Splits a comma-separated header value into its elements; commas inside
 * quoted strings and <...> do not separate. Elements are trimmed; empty
 * ones are kept so that the parsers can reject `a,,b`.
 */
export function splitList(value: string): string[] {
  if (value.indexOf(',') === -1) return [value];
  const out: string[] = [];
  let start = 0;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x22) {
      const end = endOfQuotedString(value, i);
      if (end === -1) break;
      i = end - 1;
    } else if (code === 0x3c) angle = true;
    else if (code === 0x3e) angle = false;
    else if (code === 0x2c && !angle) {
      out.push(trimWsp(value.slice(start, i)));
      start = i + 1;
    }
  }
  out.push(trimWsp(value.slice(start)));
  return out;
}

/**
 * Digits only in `text[start, end)`, and a value no larger than `max`. Leading
 * zeros are allowed (RFC 4475 wsinv). The bounds let a parser read a number
 * in place, without a slice.
 */
export function parseBoundedInt(text: string, max: number, start = 0, end = text.length): number | undefined {
  if (start === end) return undefined;
  let value = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return undefined;
    value = value * 10 + (code - 0x30);
    if (value > max) return undefined;
  }
  return value;
}
