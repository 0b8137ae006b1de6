/**
 * RFC 3261 §20.8: a Call-ID is one word, so a value that is empty or holds
 * whitespace is malformed. Whitespace is what `\s` matches in JavaScript,
 * read by a loop: every message's Call-ID is checked, and a regular
 * expression costs several times the loop.
 */
export function isCallId(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    // Printable ASCII, which is all a usual Call-ID holds, is never whitespace.
    if (code > 0x20 && code < 0x7f) continue;
    if (isWhitespace(code)) return false;
  }
  return true;
}

/** The code units `\s` matches: ECMAScript's WhiteSpace and LineTerminator. */
function isWhitespace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}
