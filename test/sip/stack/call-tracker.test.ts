import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../base/clock/fake-clock.js';
import { NameAddr, parseMessage } from '../../../resource-adaptors/sip/message/index.js';
import { CallTracker } from '../../../resource-adaptors/sip/stack/call-tracker.js';
import { callsDuring } from '../message/calls-during.js';
import type { CallRecord, RegistrationRecord } from '../../../resource-adaptors/sip/stack/call-record.js';
import type { WireMessage } from '../../../resource-adaptors/sip/transport/index.js';

function wire(direction: 'in' | 'out', lines: string[]): WireMessage {
  const bytes = Buffer.from(`${[...lines, 'Content-Length: 0', '', ''].join('\r\n')}`);
  return {
    direction,
    transport: 'UDP',
    remoteAddress: '127.0.0.1',
    remotePort: 5070,
    localAddress: '127.0.0.1',
    localPort: 5060,
    bytes,
    message: parseMessage(bytes),
  };
}

const headers = (callId: string, cseq: string, toTag = '', fromTag = 'a1') => [
  'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1',
  `From: <sip:alice@example.com>;tag=${fromTag}`,
  `To: <sip:bob@example.com>${toTag}`,
  `Call-ID: ${callId}`,
  `CSeq: ${cseq}`,
];
const invite = (callId: string, direction: 'in' | 'out' = 'in', uri = 'sip:bob@example.com') =>
  wire(direction, [`INVITE ${uri} SIP/2.0`, ...headers(callId, '1 INVITE')]);
const response = (callId: string, status: number, cseq = '1 INVITE') => wire('out', [`SIP/2.0 ${status} Reason`, ...headers(callId, cseq, ';tag=b1')]);

function tracker() {
  const clock = new FakeClock();
  const records: CallRecord[] = [];
  let now = 1_000_000;
  const calls = new CallTracker({ clock, now: () => now, onCall: (r) => records.push(r) });
  return { calls, records, clock, tick: (ms: number) => (now += ms) };
}

test('an answered call ends at its first BYE: who hung up, the final target, the deciding service, the duration', () => {
  const { calls, records, tick } = tracker();
  calls.observe(invite('c1'));
  calls.observe(invite('c1', 'out', 'sip:carol@10.0.0.9:5080'));
  calls.decided('c1', 'CallForwarding:sleet:1.0');
  tick(100);
  calls.observe(response('c1', 180));
  calls.observe(response('c1', 200));
  tick(4000);
  calls.observe(
    wire('in', [
      'BYE sip:alice@127.0.0.1 SIP/2.0',
      ...headers('c1', '1 BYE', ';tag=a1', 'b1').map((h) => h.replace('To: <sip:bob@example.com>;tag=a1', 'To: <sip:alice@example.com>;tag=a1')),
    ]),
  );
  calls.observe(wire('out', ['BYE sip:alice@127.0.0.1 SIP/2.0', ...headers('c1', '1 BYE', ';tag=a1', 'b1')]));
  assert.equal(records.length, 1, 'the relayed BYE ends nothing more');
  assert.deepEqual(records[0], {
    callId: 'c1',
    caller: 'sip:alice@example.com',
    callee: 'sip:bob@example.com',
    target: 'sip:carol@10.0.0.9:5080',
    service: 'CallForwarding:sleet:1.0',
    startedAt: 1_000_000,
    answeredAt: 1_000_100,
    endedAt: 1_004_100,
    durationMs: 4000,
    status: 200,
    endReason: 'callee-hangup',
  });
  assert.equal(calls.open, 0);
});

test('a challenged INVITE continues with its authenticated retry; one never retried is recorded as challenged', () => {
  const { calls, records, clock } = tracker();
  calls.observe(invite('c2'));
  calls.observe(response('c2', 407));
  calls.observe(invite('c2'));
  calls.observe(response('c2', 486));
  assert.deepEqual(
    records.map((r) => [r.callId, r.status, r.endReason]),
    [['c2', 486, 'rejected']],
  );
  calls.observe(invite('c3'));
  calls.observe(response('c3', 401));
  clock.advance(31_000);
  assert.equal(records.length, 1);
  clock.advance(2_000);
  assert.deepEqual(
    records.map((r) => [r.callId, r.status, r.endReason]),
    [
      ['c2', 486, 'rejected'],
      ['c3', 401, 'challenged'],
    ],
  );
});

test('cancelled, redirected, failed; retransmitted INVITEs and responses count once; open calls are recorded as expired at close', () => {
  const { calls, records } = tracker();
  calls.observe(invite('c4'));
  calls.observe(invite('c4'));
  calls.observe(wire('in', ['CANCEL sip:bob@example.com SIP/2.0', ...headers('c4', '1 CANCEL')]));
  calls.observe(response('c4', 200, '1 CANCEL'));
  calls.observe(response('c4', 487));
  calls.observe(response('c4', 487));
  calls.observe(invite('c5'));
  calls.observe(response('c5', 302));
  calls.observe(invite('c6'));
  calls.observe(response('c6', 503));
  calls.observe(invite('c7'));
  calls.observe(response('c7', 200));
  calls.close();
  assert.deepEqual(
    records.map((r) => [r.callId, r.status, r.endReason]),
    [
      ['c4', 487, 'cancelled'],
      ['c5', 302, 'redirected'],
      ['c6', 503, 'failed'],
      ['c7', 200, 'expired'],
    ],
  );
});

test('a relayed BYE whose call has ended, and an INVITE sent outside any call, are not parsed for their To', () => {
  const { calls, records } = tracker();
  calls.observe(invite('c9'));
  calls.observe(response('c9', 200));
  const byeLines = ['BYE sip:bob@127.0.0.1 SIP/2.0', ...headers('c9', '2 BYE', ';tag=b1')];
  calls.observe(wire('in', byeLines));
  assert.equal(records.length, 1);
  // Copies, as the proxy forwards them: a clone parses its headers anew when they are read.
  const relayed = { ...wire('out', byeLines), message: wire('out', byeLines).message!.clone() };
  const originated = { ...invite('c10', 'out'), message: invite('c10', 'out').message!.clone() };
  assert.equal(
    callsDuring(NameAddr, 'parse', () => {
      calls.observe(relayed);
      calls.observe(originated);
    }),
    0,
  );
  assert.equal(records.length, 1);
  assert.equal(calls.open, 0);
});

test('a forwarded INVITE names the target without its To being parsed again; a re-INVITE after the answer leaves the target', () => {
  const { calls, records } = tracker();
  calls.observe(invite('c11'));
  const forwarded = invite('c11', 'out', 'sip:bob@10.0.0.7:5070');
  const copy = { ...forwarded, message: forwarded.message!.clone() };
  assert.equal(
    callsDuring(NameAddr, 'parse', () => calls.observe(copy)),
    0,
  );
  calls.observe(response('c11', 200));
  calls.observe(wire('out', ['INVITE sip:bob@10.0.0.8:5070 SIP/2.0', ...headers('c11', '2 INVITE', ';tag=b1')]));
  calls.observe(wire('in', ['BYE sip:bob@127.0.0.1 SIP/2.0', ...headers('c11', '3 BYE', ';tag=b1')]));
  assert.equal(records[0]?.target, 'sip:bob@10.0.0.7:5070');
});

/** The record of one INVITE, never answered, from `from` to `to` (From and To values), closed at once. */
function recordOfCall(from: string, to: string): CallRecord | undefined {
  const { calls, records } = tracker();
  calls.observe(
    wire('in', [
      'INVITE sip:bob@example.com SIP/2.0',
      ...headers('c9', '1 INVITE').map((h) => h.replace('<sip:alice@example.com>', from).replace('<sip:bob@example.com>', to)),
    ]),
  );
  calls.close();
  return records[0];
}

test("a record's addresses have the host in lower case, with or without a user, and the user as sent", () => {
  const record = recordOfCall('<sip:Gateway.EXAMPLE.com>', '<sip:BOB@Example.COM>');
  assert.equal(record?.caller, 'sip:gateway.example.com');
  assert.equal(record?.callee, 'sip:BOB@example.com');
});

test("a tel: caller or callee is recorded by its number, not as 'tel:' alone", () => {
  const record = recordOfCall('<tel:+1-212-555-0101>', '<tel:7042;phone-context=Example.COM>');
  assert.equal(record?.caller, 'tel:+12125550101');
  assert.equal(record?.callee, 'tel:7042;phone-context=example.com');
});

test('a registration names the AOR the registrar files it under: a sips: To is its sip: twin, the host in lower case', () => {
  const registrations: RegistrationRecord[] = [];
  const calls = new CallTracker({ clock: new FakeClock(), now: () => 0, onCall: () => {}, onRegistration: (r) => registrations.push(r) });
  const register = (to: string) =>
    wire('in', [
      'REGISTER sips:Example.COM SIP/2.0',
      ...headers('r1', '1 REGISTER').map((h) => h.replace('<sip:bob@example.com>', to)),
      'Contact: <sips:bob@10.0.0.7:5071;transport=tls>',
    ]);
  calls.observe(register('<sips:bob@Example.COM>'));
  calls.observe(wire('out', ['SIP/2.0 200 OK', ...headers('r1', '1 REGISTER', ';tag=b1'), 'Contact: <sips:bob@10.0.0.7:5071;transport=tls>;expires=600']));
  assert.equal(registrations[0]?.aor, 'sip:bob@example.com');
  assert.deepEqual(registrations[0]?.contacts, ['sips:bob@10.0.0.7:5071;transport=tls'], 'a contact keeps its scheme: it says how to reach the phone');
  assert.equal(registrations[0]?.expires, 600);
});
