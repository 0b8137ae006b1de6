import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage, SipParseError, validateRequest, type SipRequest, type SipResponse } from '../../../resource-adaptors/sip/message/index.js';
import { isCallId } from '../../../resource-adaptors/sip/message/call-id.js';

const REQUEST = [
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-top',
  'Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bK-second',
  'Max-Forwards: 70',
  'From: <sip:alice@example.com>;tag=a1',
  'To: <sip:bob@example.com>',
  'Call-ID: reasons@192.0.2.1',
  'CSeq: 1 INVITE',
  'Contact: <sip:alice@192.0.2.1:5060>',
  'Route: <sip:proxy.example.com;lr>',
  'Record-Route: <sip:rr.example.com;lr>',
  'Expires: 60',
];
// A response with a Max-Forwards is odd, but parsing checks it wherever it is.
const RESPONSE = ['SIP/2.0 200 OK', ...REQUEST.slice(1, 9)];

function wire(lines: string[]): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`);
}

/** `lines` with the first line starting `prefix` given `value` instead. */
function replaced(lines: string[], prefix: string, value: string): string[] {
  const i = lines.findIndex((line) => line.startsWith(prefix));
  assert.notEqual(i, -1, prefix);
  return lines.map((line, j) => (j === i ? value : line));
}

function parseReason(lines: string[]): string {
  try {
    parseMessage(wire(lines));
  } catch (err) {
    assert.ok(err instanceof SipParseError, String(err));
    assert.equal(err.status, 400);
    return err.reason;
  }
  return 'parsed';
}

const CHECKED_WHILE_PARSING: Array<[prefix: string, bad: string, name: string]> = [
  ['Via:', 'Via: SIP/2.0/UDP', 'Via'],
  ['CSeq:', 'CSeq: one INVITE', 'CSeq'],
  ['From:', 'From: <sip:alice@exa mple.com', 'From'],
  ['To:', 'To: <sip:bob@example.com', 'To'],
  ['Call-ID:', 'Call-ID: two words', 'Call-ID'],
  ['Max-Forwards:', 'Max-Forwards: seventy', 'Max-Forwards'],
  ['Contact:', 'Contact: <sip:alice@192.0.2.1:99999>', 'Contact'],
];

test('parsing names the malformed header it checks, in a request and in a response', () => {
  assert.equal(parseReason(REQUEST), 'parsed');
  assert.equal(parseReason(RESPONSE), 'parsed');
  for (const [prefix, bad, name] of CHECKED_WHILE_PARSING) {
    assert.equal(parseReason(replaced(REQUEST, prefix, bad)), `Bad Request - malformed ${name} header`, `request, ${bad}`);
    assert.equal(parseReason(replaced(RESPONSE, prefix, bad)), `Bad Request - malformed ${name} header`, `response, ${bad}`);
  }
});

test('validateRequest names the first part that does not parse: those parsing leaves to it', () => {
  const validate = (lines: string[]) => validateRequest(parseMessage(wire(lines)) as SipRequest);
  assert.equal(validate(REQUEST), null);
  const cases: Array<[prefix: string, bad: string, reason: string]> = [
    ['Via: SIP/2.0/UDP 192.0.2.2', 'Via: SIP/2.0/UDP 192.0.2.2:99999', 'Bad Request - malformed Via header'],
    ['Route:', 'Route: <sip:proxy.example.com;lr', 'Bad Request - malformed Route header'],
    ['Record-Route:', 'Record-Route: sip:rr.example.com;lr>', 'Bad Request - malformed Record-Route header'],
    ['Expires:', 'Expires: soon', 'Bad Request - malformed Expires header'],
  ];
  for (const [prefix, bad, reason] of cases) assert.deepEqual(validate(replaced(REQUEST, prefix, bad)), { status: 400, reason }, bad);
  // The first in the order read wins: a bad Route before a bad Expires.
  const both = replaced(replaced(REQUEST, 'Route:', 'Route: <sip:proxy.example.com;lr'), 'Expires:', 'Expires: soon');
  assert.deepEqual(validate(both), { status: 400, reason: 'Bad Request - malformed Route header' });
});

test('a Call-ID is malformed exactly when it is empty or holds a code unit that \\s matches', () => {
  for (let code = 0; code <= 0xffff; code++) {
    const value = `a${String.fromCharCode(code)}b`;
    assert.equal(isCallId(value), !/\s/.test(value), `U+${code.toString(16).padStart(4, '0')}`);
  }
  assert.equal(isCallId(''), false);
  assert.equal(isCallId('f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com'), true);
});

test('a Status-Line is three digits from 100 to 699 after a SIP-Version; another version is refused with 505', () => {
  const rest = RESPONSE.slice(1);
  const status = (line: string): number => {
    try {
      return (parseMessage(wire([line, ...rest])) as SipResponse).status;
    } catch (err) {
      assert.ok(err instanceof SipParseError, String(err));
      return -err.status;
    }
  };
  for (let n = 0; n < 1000; n++) {
    const code = String(n).padStart(3, '0');
    assert.equal(status(`SIP/2.0 ${code} Whatever`), n >= 100 && n <= 699 ? n : -400, code);
  }
  for (const code of ['1000', '20', '2x0', '２00', '-20', ' 200']) assert.equal(status(`SIP/2.0 ${code} OK`), -400, code);
  assert.equal(status('sip/2.0 180 Ringing'), 180);
  assert.equal(status('SIP/3.0 200 OK'), -505);
  assert.equal(status('SIP/2 200 OK'), -400);
});
