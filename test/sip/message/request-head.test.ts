import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CSeq, parseMessage, SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { scanRequestHead, type RequestHead } from '../../../resource-adaptors/sip/message/request-head.js';
import { mutate, prng } from './mutate.js';
import { INVALID, PARSES, torture, VALID } from './torture-fixtures.js';

const INVITE = Buffer.from(
  [
    'INVITE sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP proxy1.example.com:5060;branch=z9hG4bK2d4790.1, SIP/2.0/UDP client.example.com;branch=z9hG4bK74bf9',
    'v: SIP/2.0/UDP origin.example.com;branch=z9hG4bKorigin',
    'Max-Forwards: 69',
    'f: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl',
    'To: "Bob <the> builder" <sip:bob@biloxi.example.com>',
    'i: 3848276298220188511@client.example.com',
    'CSeq:  1   INVITE',
    'Contact: <sip:alice@client.example.com>',
    'Content-Type: application/sdp',
    'Content-Length: 4',
    '',
    'v=0\n',
  ].join('\r\n'),
);

/** Headers the full parse checks that a scan does not read: their faults alone may part the two. */
const UNREAD = /malformed (Max-Forwards|Contact) header/;

/** The parser's text for what the scan read as latin1: the same bytes, whichever way the parser decoded them. */
function sameText(scanned: string, parsedText: string): boolean {
  return scanned === parsedText || Buffer.from(scanned, 'latin1').toString('utf8') === parsedText;
}

/**
 * What the fast path relies on: a head it returns says what the full
 * parse says about the same bytes. The parse succeeds (or fails only on a
 * header the scan does not read), and method, Call-ID, CSeq, To tag, the
 * top Via and the Via values echoed agree.
 */
function agreesWithParse(data: Buffer, head: RequestHead): void {
  let message;
  try {
    message = parseMessage(data);
  } catch (err) {
    if (UNREAD.test((err as Error).message)) return;
    throw err;
  }
  assert.ok(message instanceof SipRequest, 'a request');
  assert.equal(head.method, message.method);
  assert.ok(sameText(head.callId, message.callId), 'Call-ID');
  assert.equal(CSeq.parse(head.cseq).seq, message.cseq.seq);
  assert.equal(CSeq.parse(head.cseq).method, message.cseq.method);
  assert.ok(head.toTag === message.to.tag || sameText(head.toTag ?? '', message.to.tag ?? ''), 'To tag');
  assert.ok(sameText(head.topVia.toString(), message.topVia!.toString()), 'top Via');
  const echoed = message.getAll('Via').flatMap((line) => line.split(',').map((v) => v.replace(/^[ \t]+|[ \t]+$/g, '')));
  assert.equal(head.vias.length, echoed.length);
  head.vias.forEach((v, i) => assert.ok(sameText(v, echoed[i]!), `Via ${i}`));
}

/** Scans each input; every head read must agree with the full parse. Returns how many were read. */
function readAndAgree(inputs: Array<[label: string, data: Buffer]>): number {
  let read = 0;
  for (const [label, data] of inputs) {
    const head = scanRequestHead(data);
    if (head === undefined) continue;
    read++;
    try {
      agreesWithParse(data, head);
    } catch (err) {
      assert.fail(`${label}: ${(err as Error).message}`);
    }
  }
  return read;
}

describe('scanRequestHead', () => {
  it('reads a request head with compact names, a Via list across lines and a quoted display name holding angle brackets', () => {
    const { topVia, ...head } = scanRequestHead(INVITE)!;
    assert.equal(topVia.branch, 'z9hG4bK2d4790.1');
    assert.deepEqual(head, {
      method: 'INVITE',
      vias: [
        'SIP/2.0/UDP proxy1.example.com:5060;branch=z9hG4bK2d4790.1',
        'SIP/2.0/UDP client.example.com;branch=z9hG4bK74bf9',
        'SIP/2.0/UDP origin.example.com;branch=z9hG4bKorigin',
      ],
      from: 'Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl',
      to: '"Bob <the> builder" <sip:bob@biloxi.example.com>',
      toTag: undefined,
      callId: '3848276298220188511@client.example.com',
      cseq: '1   INVITE',
    });
    agreesWithParse(INVITE, { topVia, ...head });
  });

  it('finds the To tag in a name-addr and in a bare addr-spec', () => {
    const withTag = (to: string) => scanRequestHead(Buffer.from(INVITE.toString('latin1').replace(/To: [^\r]*/, `To: ${to}`), 'latin1'));
    assert.equal(withTag('<sip:bob@b.example.com;tag=uri-param>;tag=abc')?.toTag, 'abc');
    assert.equal(withTag('sip:bob@b.example.com ; TAG = xyz')?.toTag, 'xyz');
    assert.equal(withTag('<sip:bob@b.example.com;tag=uri-param>')?.toTag, undefined);
    assert.equal(withTag('<sip:bob@b.example.com'), undefined, 'a To the parser refuses');
  });

  it('leaves to the full parser what it cannot vouch for', () => {
    const variant = (from: string | RegExp, to: string) => Buffer.from(INVITE.toString('latin1').replace(from, to), 'latin1');
    const cases: Array<[string, Buffer]> = [
      ['a response', Buffer.from('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\n\r\n')],
      ['no end of head', INVITE.subarray(0, 100)],
      ['a folded line', variant('Max-Forwards: 69', 'Max-Forwards:\r\n 69')],
      ['another version', variant(' SIP/2.0\r\n', ' SIP/3.0\r\n')],
      ['a second Call-ID', variant('Max-Forwards: 69', 'Call-ID: other')],
      ['a second From', variant('Max-Forwards: 69', 'From: <sip:eve@x>;tag=1')],
      ['a CSeq for another method', variant('1   INVITE', '1 OPTIONS')],
      ['a CSeq number that is not one', variant('1   INVITE', '1x INVITE')],
      ['a Content-Length past the body', variant('Content-Length: 4', 'Content-Length: 5')],
      ['a header name that is not a token', variant('Max-Forwards: 69', 'Max(Forwards: 69')],
      ['two spaces in the request line', variant('INVITE sip:', 'INVITE  sip:')],
      ['a malformed Request-URI', variant('INVITE sip:bob@biloxi.example.com', 'INVITE sip:bob@@biloxi')],
      ['a malformed top Via', variant('SIP/2.0/UDP proxy1.example.com:5060', 'SIP/2.0/UDP proxy1.example.com:99999')],
      ['a malformed From', variant('f: Alice <sip:alice@atlanta.example.com>', 'f: Alice <sip:alice@atlanta.example.com')],
      ['no CSeq', variant('CSeq:  1   INVITE\r\n', '')],
      ['no Via', variant(/Via: [^\r]*\r\nv: [^\r]*\r\n/, '')],
      ['an empty Via value in a list', variant('z9hG4bK74bf9', 'z9hG4bK74bf9,')],
      ['a quoted Via parameter', variant('branch=z9hG4bKorigin', 'branch=z9hG4bKorigin;x="a,b"')],
      ['a Call-ID with a space', variant('3848276298220188511@', '38 48@')],
      ['a line without a colon', variant('Max-Forwards: 69', 'Max-Forwards 69')],
    ];
    for (const [name, data] of cases) assert.equal(scanRequestHead(data), undefined, name);
  });

  it('agrees with the full parser on every RFC 4475 message it reads, and throws on none', () => {
    const read = readAndAgree([...VALID, ...PARSES, ...INVALID].map((name) => [name, torture(name)]));
    assert.ok(read >= 10, `read ${read} torture messages`);
  });

  it('agrees with the full parser on every mutation of a request it reads (4,000 seeded mutations)', () => {
    const random = prng(4475);
    const mutations = Array.from({ length: 4000 }, (_, i): [string, Buffer] => {
      const data = mutate(INVITE, random);
      return [`mutation ${i} ${JSON.stringify(data.toString('latin1'))}`, data];
    });
    const read = readAndAgree(mutations);
    assert.ok(read > 400, `read ${read} of 4,000 mutations`);
  });
});
