import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parseMessage, SipRequest, SipResponse, SipUri, Via, type SipMessage } from '../../../resource-adaptors/sip/message/index.js';
import { mutate, prng } from './mutate.js';
import { PARSES, torture, VALID } from './torture-fixtures.js';

const RFC5118 = fileURLToPath(new URL('../../../../test/fixtures/rfc5118/', import.meta.url));

/** Hand-made shapes the torture messages lack: compact forms, several Vias in one line, folded lines, odd spacing. */
const SHAPES = [
  'INVITE sip:bob@example.com SIP/2.0\r\nv: SIP/2.0/UDP a.example.com;branch=z9hG4bK1 ,SIP/2.0/TCP  b.example.com:5070;branch=z9hG4bK2\r\nVia: SIP/2.0/UDP c.example.com;branch=z9hG4bK3\r\nRoute: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\nf: <sip:a@example.com>;tag=1\r\nt: <sip:bob@example.com>\r\ni: c1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 7\r\nm: <sip:a@a.example.com>\r\nl: 0\r\n\r\n',
  'OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP a.example.com\r\n ;branch=z9hG4bKfold\r\nVia:SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\nFrom: "A, B" <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: c2\r\nCSeq: 1 OPTIONS\r\nRecord-Route: <sip:r1.example.com;lr>,\r\n <sip:r2.example.com;lr>\r\nX-Odd :  spaced  \r\nContent-Length: 0\r\n\r\n',
  'SIP/2.0 180 Ringing\r\nv: SIP/2.0/UDP p.example.com;branch=z9hG4bKp, SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\nf: <sip:a@example.com>;tag=1\r\nt: <sip:bob@example.com>;tag=2\r\ni: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n',
  'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP p.example.com;branch=z9hG4bKp\r\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: 11\r\n\r\nv=0\r\ns=é\r\n',
].map((text) => Buffer.from(text));

function corpus(): Buffer[] {
  const seeds = [
    ...VALID.map(torture),
    ...PARSES.map(torture),
    ...readdirSync(RFC5118)
      .filter((f) => f.endsWith('.dat'))
      .map((f) => readFileSync(`${RFC5118}${f}`)),
    ...SHAPES,
  ];
  const random = prng(3261);
  const mutated: Buffer[] = [];
  for (let i = 0; i < 1500; i++) mutated.push(mutate(seeds[i % seeds.length]!, random));
  return [...seeds, ...mutated];
}

function parsed(data: Buffer): SipMessage | undefined {
  try {
    const message = parseMessage(data);
    void message.topVia;
    if (message instanceof SipRequest) void message.uri;
    return message;
  } catch {
    return undefined;
  }
}

/** The same message without received bytes, so that it serialises through the printer (the path every forward took before). */
function printedCopy(message: SipMessage): SipMessage {
  const headers: Record<string, string[]> = {};
  for (const name of message.headerNames()) headers[name] = message.getAll(name);
  return message instanceof SipRequest
    ? SipRequest.create(message.method, message.uri.toString(), headers, message.body)
    : SipResponse.create((message as SipResponse).status, (message as SipResponse).reason, headers, message.body);
}

/** What a proxy does to a message it forwards (§16.6) or relays (§16.7), in the forms the proxy core and transport use. */
function forward(message: SipMessage): void {
  if (message instanceof SipResponse) {
    message.removeTopVia();
    return;
  }
  const request = message as SipRequest;
  const maxForwards = request.get('Max-Forwards');
  request.set('Max-Forwards', String(maxForwards === undefined || !/^\d+$/.test(maxForwards) ? 70 : Math.max(0, Number(maxForwards) - 1)));
  request.uri = SipUri.parse('sip:callee@192.0.2.7:5080;transport=udp');
  const routes = request.getAll('Route');
  if (routes.length === 1) request.remove('Route');
  else if (routes.length > 1) request.set('Route', routes.slice(1));
  request.add('Record-Route', '<sip:192.0.2.1;lr;rrt=AAAAAAAAAAAAAAAAAAAAAA>', true);
  request.add('Via', 'SIP/2.0/UDP 0.0.0.0;branch=z9hG4bKproxy.1;rport', true);
  const top = request.topVia!;
  top.host = '192.0.2.1';
  top.port = 5060;
  request.setTopVia(top);
}

/** Equal as SIP: start line, every header's values in order, body. */
function assertSameMessage(actual: SipMessage, expected: SipMessage, what: string): void {
  assert.equal(actual.isRequest, expected.isRequest, what);
  if (actual instanceof SipRequest) {
    assert.equal(actual.method, (expected as SipRequest).method, what);
    assert.equal(actual.uri.toString(), (expected as SipRequest).uri.toString(), what);
  } else {
    assert.equal((actual as SipResponse).status, (expected as SipResponse).status, what);
    assert.equal((actual as SipResponse).reason, (expected as SipResponse).reason, what);
  }
  const names = (m: SipMessage) => m.headerNames().map((n) => n.toLowerCase());
  assert.deepEqual(names(actual).sort(), names(expected).sort(), what);
  for (const name of actual.headerNames()) assert.deepEqual(actual.getAll(name), expected.getAll(name), `${what}: ${name}`);
  assert.deepEqual(actual.body, expected.body, what);
}

describe('forwarding patches the received bytes', () => {
  it('gives the same message as re-serialising every header, over the torture, RFC 5118, hand-made and mutated messages', () => {
    let checked = 0;
    for (const [i, data] of corpus().entries()) {
      const received = parsed(data);
      if (received === undefined || received.topVia === undefined) continue;
      const what = `message ${i}: ${data.subarray(0, 40).toString('latin1')}`;
      const reference = printedCopy(received);
      const copy = received.clone();
      forward(received);
      forward(reference);
      // A value the forward uncovered (the next Via of a relayed response) may be malformed: then both fail alike.
      const [actual, expected] = [received.toBuffer(), reference.toBuffer()].map((bytes) => {
        try {
          return parseMessage(bytes);
        } catch (err) {
          return (err as Error).message;
        }
      });
      if (typeof expected === 'string') assert.equal(actual, expected, what);
      else assertSameMessage(actual as SipMessage, expected!, what);
      // A copy taken before shares header slots with the message: the forward must not have changed them.
      copy.set('X-Check', '1');
      const original = parseMessage(data);
      const again = parseMessage(copy.toBuffer());
      for (const name of ['Via', 'Max-Forwards', 'Route', 'Record-Route']) assert.deepEqual(again.getAll(name), original.getAll(name), `${what}: ${name}`);
      checked++;
    }
    assert.ok(checked > 200, `only ${checked} messages checked`);
  });

  it('prepends Via and Record-Route, rewrites the Request-URI and Max-Forwards, drops our Route, and leaves the rest as it was', () => {
    const received = parseMessage(SHAPES[0]!) as SipRequest;
    forward(received);
    // Compact and unusually spaced lines are printed in the long form, as before; their values are untouched.
    assert.equal(
      received.toBuffer().toString('latin1'),
      'INVITE sip:callee@192.0.2.7:5080;transport=udp SIP/2.0\r\n' +
        'Record-Route: <sip:192.0.2.1;lr;rrt=AAAAAAAAAAAAAAAAAAAAAA>\r\n' +
        'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKproxy.1;rport\r\n' +
        'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1 ,SIP/2.0/TCP  b.example.com:5070;branch=z9hG4bK2\r\n' +
        'Via: SIP/2.0/UDP c.example.com;branch=z9hG4bK3\r\n' +
        'Route: <sip:p2.example.com;lr>\r\n' +
        'From: <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 6\r\n' +
        'Contact: <sip:a@a.example.com>\r\nContent-Length: 0\r\n\r\n',
    );
  });

  it('copies the received lines byte for byte, a non-ASCII body included', () => {
    const received = parseMessage(SHAPES[3]!) as SipResponse;
    received.removeTopVia();
    assert.equal(
      received.toBuffer().toString('utf8'),
      'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>;tag=2\r\n' +
        'Call-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: 11\r\n\r\nv=0\r\ns=é\r\n',
    );
  });

  it('writes a changed line in the bytes its text takes and nothing more, in a UTF-8 section and in a latin1 one', () => {
    const utf8 = parseMessage(SHAPES[3]!) as SipResponse;
    utf8.set('Subject', 'Grüße ✓ 😀');
    utf8.add('Warning', '399 ünï "ö"');
    const bytes = utf8.toBuffer();
    assert.equal(
      bytes.toString('utf8'),
      'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP p.example.com;branch=z9hG4bKp\r\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n' +
        'From: <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n' +
        'Content-Length: 11\r\nSubject: Grüße ✓ 😀\r\nWarning: 399 ünï "ö"\r\n\r\nv=0\r\ns=é\r\n',
    );
    assert.equal(parseMessage(bytes).get('Subject'), 'Grüße ✓ 😀');
    // Not valid UTF-8 (0xE9 alone): the section is read and written as latin1, one byte a character.
    const latin1 = parseMessage(
      Buffer.concat([
        Buffer.from('OPTIONS sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nX-Name: Andr'),
        Buffer.from([0xe9]),
        Buffer.from('\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n'),
      ]),
    );
    latin1.set('Subject', 'Café');
    assert.deepEqual(
      latin1.toBuffer(),
      Buffer.from(
        'OPTIONS sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nX-Name: Andr\u00e9\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\nSubject: Caf\u00e9\r\n\r\n',
        'latin1',
      ),
    );
  });
});

describe('top Via edits touch only the top value', () => {
  const request = (vias: string) =>
    parseMessage(
      Buffer.from(
        `OPTIONS sip:b@example.com SIP/2.0\r\n${vias}From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`,
      ),
    );

  it('setTopVia on a line holding several values keeps the others in their own line, as received', () => {
    const m = request('v: SIP/2.0/UDP a;branch=z9hG4bK1 ,  SIP/2.0/UDP b;branch=z9hG4bK2\r\n');
    m.setTopVia(new Via('TCP', 'x.example.com', 5061));
    assert.deepEqual(m.getAll('Via'), ['SIP/2.0/TCP x.example.com:5061', 'SIP/2.0/UDP b;branch=z9hG4bK2']);
    assert.match(m.toBuffer().toString(), /\r\nVia: SIP\/2\.0\/TCP x\.example\.com:5061\r\nVia: SIP\/2\.0\/UDP b;branch=z9hG4bK2\r\n/);
  });

  it('setTopVia returns its Via from topVia, and adds one to a message without', () => {
    const m = request('');
    const via = new Via('UDP', 'x.example.com');
    m.setTopVia(via);
    assert.equal(m.topVia, via);
    assert.deepEqual(m.getAll('Via'), ['SIP/2.0/UDP x.example.com']);
  });

  it('prependVia adds a first value before the received ones, and topVia returns that Via itself (the transport stamps it without parsing)', () => {
    const m = request('Via: SIP/2.0/UDP a;branch=z9hG4bK1\r\n');
    const via = new Via('UDP', '0.0.0.0');
    via.params.set('branch', 'z9hG4bKp');
    m.prependVia(via);
    assert.equal(m.topVia, via);
    assert.deepEqual(m.getAll('Via'), ['SIP/2.0/UDP 0.0.0.0;branch=z9hG4bKp', 'SIP/2.0/UDP a;branch=z9hG4bK1']);
  });

  it('removeTopVia drops the first value of a line, or the whole line when it held one', () => {
    const m = request('Via: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2\r\nVia:  SIP/2.0/UDP c\r\n');
    m.removeTopVia();
    assert.deepEqual(m.getAll('Via'), ['SIP/2.0/UDP b;branch=z9hG4bK2', 'SIP/2.0/UDP c']);
    m.removeTopVia();
    assert.deepEqual(m.getAll('Via'), ['SIP/2.0/UDP c']);
    assert.equal(m.topVia!.host, 'c');
    assert.match(m.toBuffer().toString(), /^OPTIONS sip:b@example\.com SIP\/2\.0\r\nVia: SIP\/2\.0\/UDP c\r\nFrom: /);
    m.removeTopVia();
    m.removeTopVia();
    assert.equal(m.has('Via'), false);
  });

  it('a folded Via line is printed unfolded when its top value changes', () => {
    const m = request('Via: SIP/2.0/UDP a\r\n ;branch=z9hG4bKf\r\n');
    const top = m.topVia!;
    top.host = 'x';
    m.setTopVia(top);
    assert.match(m.toBuffer().toString(), /\r\nVia: SIP\/2\.0\/UDP x;branch=z9hG4bKf\r\n/);
  });
});
