/** RFC 3261 §20.8: a Call-ID is one word, so a value that is empty or holds whitespace is malformed. */
export function isCallId(value: string): boolean {
  return value.length > 0 && !/\s/.test(value);
}
