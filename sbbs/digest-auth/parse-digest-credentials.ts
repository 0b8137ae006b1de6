/** The parameters of one `Authorization`/`Proxy-Authorization: Digest …` value, names lower-cased, quotes removed. */
export type DigestParams = Map<string, string>;

/** Parses `Digest name=value, name="quoted, value"`; undefined for another scheme or malformed text. */
export function parseDigestCredentials(header: string): DigestParams | undefined {
  const match = /^\s*digest\s+/i.exec(header);
  if (match === null) return undefined;
  const params: DigestParams = new Map();
  const re = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))\s*(,|$)/y;
  re.lastIndex = match[0].length;
  while (re.lastIndex < header.length) {
    const m = re.exec(header);
    if (m === null) return undefined;
    params.set(m[1]!.toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!);
    if (m[4] === '') break;
  }
  return params;
}
