/** RFC 3261 §7.3.3 and later RFCs: compact form -> lower-case long form. */
const COMPACT: Record<string, string> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  e: 'content-encoding',
  k: 'supported',
  s: 'subject',
  o: 'event',
  r: 'refer-to',
  u: 'allow-events',
  b: 'referred-by',
  x: 'session-expires',
  a: 'accept-contact',
  j: 'reject-contact',
  d: 'request-disposition',
  y: 'identity',
  n: 'identity-info',
};

/** How known headers are spelled when a message is (re-)serialised. */
const CANONICAL: Record<string, string> = {
  via: 'Via',
  from: 'From',
  to: 'To',
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  contact: 'Contact',
  'max-forwards': 'Max-Forwards',
  'content-length': 'Content-Length',
  'content-type': 'Content-Type',
  'content-encoding': 'Content-Encoding',
  'content-language': 'Content-Language',
  'content-disposition': 'Content-Disposition',
  supported: 'Supported',
  subject: 'Subject',
  event: 'Event',
  'refer-to': 'Refer-To',
  'allow-events': 'Allow-Events',
  'referred-by': 'Referred-By',
  'session-expires': 'Session-Expires',
  'accept-contact': 'Accept-Contact',
  'reject-contact': 'Reject-Contact',
  'request-disposition': 'Request-Disposition',
  identity: 'Identity',
  'identity-info': 'Identity-Info',
  route: 'Route',
  'record-route': 'Record-Route',
  allow: 'Allow',
  require: 'Require',
  'proxy-require': 'Proxy-Require',
  unsupported: 'Unsupported',
  accept: 'Accept',
  'accept-encoding': 'Accept-Encoding',
  'accept-language': 'Accept-Language',
  expires: 'Expires',
  'min-expires': 'Min-Expires',
  'user-agent': 'User-Agent',
  server: 'Server',
  date: 'Date',
  timestamp: 'Timestamp',
  warning: 'Warning',
  'retry-after': 'Retry-After',
  priority: 'Priority',
  organization: 'Organization',
  'reply-to': 'Reply-To',
  'in-reply-to': 'In-Reply-To',
  'mime-version': 'MIME-Version',
  'alert-info': 'Alert-Info',
  'call-info': 'Call-Info',
  'error-info': 'Error-Info',
  authorization: 'Authorization',
  'proxy-authorization': 'Proxy-Authorization',
  'www-authenticate': 'WWW-Authenticate',
  'proxy-authenticate': 'Proxy-Authenticate',
  'authentication-info': 'Authentication-Info',
  rack: 'RAck',
  rseq: 'RSeq',
  path: 'Path',
  'service-route': 'Service-Route',
  'subscription-state': 'Subscription-State',
  reason: 'Reason',
  'p-asserted-identity': 'P-Asserted-Identity',
  'p-preferred-identity': 'P-Preferred-Identity',
  'min-se': 'Min-SE',
  'sip-etag': 'SIP-ETag',
  'sip-if-match': 'SIP-If-Match',
};

/**
 * Headers whose value is a comma-separated list (RFC 3261 §7.3.1), so that
 * `A: x, y` and `A: x` + `A: y` are the same thing. Authorization-style
 * headers are deliberately absent: their commas separate auth-params.
 */
const LIST_HEADERS = new Set([
  'via',
  'contact',
  'route',
  'record-route',
  'allow',
  'supported',
  'require',
  'proxy-require',
  'unsupported',
  'accept',
  'accept-encoding',
  'accept-language',
  'allow-events',
  'content-encoding',
  'content-language',
  'in-reply-to',
  'alert-info',
  'call-info',
  'error-info',
  'warning',
  'path',
  'service-route',
  'reason',
  'p-asserted-identity',
  'p-preferred-identity',
  'accept-contact',
  'reject-contact',
  'request-disposition',
]);

const CANONICAL_BY_KEY = new Map(Object.entries(CANONICAL));

interface Spelling {
  text: string;
  key: string;
  /** Whether `text` is how the header is printed. */
  canonical: boolean;
}

/** Longest usual spelling, bounding the table below. */
const MAX_SPELLING = 32;

/**
 * The usual spellings (canonical, lower-case, compact), indexed by length
 * and first character, so that a header name on the wire is recognised in
 * place, without slicing, hashing or lower-casing a copy.
 */
const SPELLINGS: Array<Spelling[] | undefined> = new Array(MAX_SPELLING * 128).fill(undefined);
/** The same spellings by their text: a name given in code (an interned literal) is found by its cached hash. */
const KEY_BY_SPELLING = new Map<string, string>();
function addSpelling(text: string, key: string): void {
  KEY_BY_SPELLING.set(text, key);
  const bucket = text.length * 128 + text.charCodeAt(0);
  const list = (SPELLINGS[bucket] ??= []);
  if (!list.some((s) => s.text === text)) list.push({ text, key, canonical: CANONICAL[key] === text });
}
for (const [key, canonical] of Object.entries(CANONICAL)) {
  addSpelling(canonical, key);
  addSpelling(key, key);
}
for (const [letter, key] of Object.entries(COMPACT)) {
  addSpelling(letter, key);
  addSpelling(letter.toUpperCase(), key);
}

/** The usual spelling found at text[start, end), if it is one: its `text` is an interned copy of the name. */
export function knownSpellingAt(text: string, start: number, end: number): Spelling | undefined {
  const length = end - start;
  const first = text.charCodeAt(start);
  if (length >= MAX_SPELLING || first >= 128) return undefined;
  const list = SPELLINGS[length * 128 + first];
  if (list === undefined) return undefined;
  for (const spelling of list) {
    const candidate = spelling.text;
    let i = 1;
    while (i < length && candidate.charCodeAt(i) === text.charCodeAt(start + i)) i++;
    if (i === length) return spelling;
  }
  return undefined;
}

const COMPACT_BY_KEY = new Map(Object.entries(COMPACT).map(([letter, key]) => [key, letter]));

/** RFC 3261 §7.3.3: the one-letter form of a header, when it has one. */
export function compactHeaderName(key: string): string | undefined {
  return COMPACT_BY_KEY.get(key);
}

/** Lower-case long form of a header name, whatever its case or compactness. */
export function headerKey(name: string): string {
  const known = KEY_BY_SPELLING.get(name);
  if (known !== undefined) return known;
  const lower = name.toLowerCase();
  return lower.length === 1 ? (COMPACT[lower] ?? lower) : lower;
}

/** Name to print for a header key; `received` is the spelling seen on the wire, used for unknown headers. */
export function canonicalHeaderName(key: string, received: string): string {
  return CANONICAL_BY_KEY.get(key) ?? received;
}

export function isListHeader(key: string): boolean {
  return LIST_HEADERS.has(key);
}
