import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { parseMessage, SipResponse, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { SipStack, type SipAdmission } from '../../../resource-adaptors/sip/stack/index.js';
import type { ServerTransaction } from '../../../resource-adaptors/sip/transaction/index.js';
import { COUNTED_METHODS, STATUS_CLASSES, type TransportLayer } from '../../../resource-adaptors/sip/transport/index.js';

/** Admission that refuses everything while `shedding`, recording what it was asked. */
function switchable(): SipAdmission & { shedding: boolean; asked: string[] } {
  return {
    shedding: true,
    asked: [],
    admit(request) {
      this.asked.push(request.callId);
      return !this.shedding;
    },
    retryAfterSeconds: () => 4,
    rejectPercent() {
      return this.shedding ? 100 : 0;
    },
  };
}

interface Peer {
  socket: Socket;
  port: number;
  received: SipResponse[];
  send(text: string): void;
  next(status?: number): Promise<SipResponse>;
}

/** A UDP peer on loopback that keeps every response it gets. */
async function peer(t: TestContext, stackPort: number): Promise<Peer> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  t.after(() => socket.close());
  const received: SipResponse[] = [];
  const waiting: Array<() => void> = [];
  socket.on('message', (data) => {
    // A 400 echoes the malformed header that earned it; only its status matters then.
    try {
      received.push(parseMessage(data) as SipResponse);
    } catch {
      received.push(SipResponse.create(Number(data.toString('latin1', 8, 11)), undefined, {}));
    }
    for (const wake of waiting.splice(0)) wake();
  });
  const port = socket.address().port;
  return {
    socket,
    port,
    received,
    send: (text) => socket.send(Buffer.from(text.replaceAll('{port}', String(port)).replace(/\n/g, '\r\n'), 'latin1'), stackPort, '127.0.0.1'),
    async next(status) {
      const deadline = Date.now() + 3000;
      for (;;) {
        const found = received.find((r) => status === undefined || r.status === status);
        if (found !== undefined) {
          received.splice(received.indexOf(found), 1);
          return found;
        }
        if (Date.now() > deadline) throw new Error(`no ${status ?? ''} response`);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

function invite(branch: string, callId: string, extraVia = ''): string {
  return `INVITE sip:bob@127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{port};branch=${branch};rport${extraVia}
Via: SIP/2.0/UDP 10.0.0.9:5070;branch=z9hG4bKdownstream, SIP/2.0/UDP 10.0.0.8;branch=z9hG4bKfirst
Max-Forwards: 70
From: "Alice Ä" <sip:alice@127.0.0.1>;tag=a1
To: <sip:bob@127.0.0.1>
Call-ID: ${callId}
CSeq: 7 INVITE
Contact: <sip:alice@127.0.0.1:{port}>
Content-Length: 0

`;
}

function ackFor(branch: string, callId: string, toTag: string): string {
  return `ACK sip:bob@127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{port};branch=${branch};rport
Max-Forwards: 70
From: "Alice Ä" <sip:alice@127.0.0.1>;tag=a1
To: <sip:bob@127.0.0.1>;tag=${toTag}
Call-ID: ${callId}
CSeq: 7 ACK
Content-Length: 0

`;
}

async function stackWith(t: TestContext, admission: SipAdmission, screenWhen?: () => boolean): Promise<{ stack: SipStack; port: number; seen: string[] }> {
  const stack = new SipStack({ listen: [{ transport: 'UDP', host: '127.0.0.1', port: 0 }], admission, ...(screenWhen ? { screenWhen } : {}) });
  const [lp] = await stack.start();
  t.after(() => stack.close());
  const seen: string[] = [];
  (stack.transport as TransportLayer).observe((wire) => {
    if (wire.direction === 'in' && wire.message !== undefined)
      seen.push(wire.message.isRequest ? (wire.message as SipRequest).method : String((wire.message as SipResponse).status));
  });
  return { stack, port: lp!.port, seen };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 100));

test('while shedding, a new INVITE is refused with a 503 built from its head, unparsed: the same headers a parsed refusal copies', async (t) => {
  const admission = switchable();
  const { stack, port, seen } = await stackWith(t, admission);
  const caller = await peer(t, port);
  caller.send(invite('z9hG4bKscreen1', 'screen-1@test'));
  const refusal = await caller.next(503);

  assert.equal(refusal.reason, 'Service Unavailable - overloaded');
  assert.equal(refusal.get('Retry-After'), '4');
  assert.deepEqual(refusal.getAll('Via'), [
    `SIP/2.0/UDP 127.0.0.1:${caller.port};branch=z9hG4bKscreen1;rport=${caller.port};received=127.0.0.1`,
    'SIP/2.0/UDP 10.0.0.9:5070;branch=z9hG4bKdownstream',
    'SIP/2.0/UDP 10.0.0.8;branch=z9hG4bKfirst',
  ]);
  assert.equal(refusal.from.displayName, 'Alice Ä', 'From goes back byte for byte');
  assert.equal(refusal.from.tag, 'a1');
  assert.equal(refusal.to.uri.toString(), 'sip:bob@127.0.0.1');
  assert.ok(refusal.to.tag !== undefined && refusal.to.tag.length >= 8);
  assert.equal(refusal.callId, 'screen-1@test');
  assert.deepEqual([refusal.cseq.seq, refusal.cseq.method], [7, 'INVITE']);
  assert.equal(refusal.get('Content-Length'), '0');

  assert.deepEqual(admission.asked, ['screen-1@test'], 'admission was asked once');
  assert.deepEqual(seen, [], 'the INVITE was never parsed: no observer saw it');
  assert.deepEqual(stack.overloadStats, { shed: 1, shedUnparsed: 1, acksAbsorbed: 0 });
  assert.equal(stack.transactions.stats.serverTransactions, 0, 'no state kept');
  const { messages, counters } = stack.transport as TransportLayer;
  const inviteIndex = COUNTED_METHODS.indexOf('INVITE');
  assert.equal(messages.requestsIn[inviteIndex], 1, 'counted in by method like any request');
  assert.equal(messages.responsesOut[inviteIndex * STATUS_CLASSES.length + 4], 1, 'and the 503 out');
  assert.deepEqual([counters.messagesIn, counters.messagesOut], [1, 1]);
});

test("a retransmitted shed INVITE gets the same To tag (RFC 3261 §8.2.7), and the ACK for the 503 is dropped unparsed, never reaching the stack's user", async (t) => {
  const admission = switchable();
  const { stack, port, seen } = await stackWith(t, admission);
  const caller = await peer(t, port);
  caller.send(invite('z9hG4bKscreen2', 'screen-2@test'));
  const first = await caller.next(503);
  caller.send(invite('z9hG4bKscreen2', 'screen-2@test'));
  const again = await caller.next(503);
  assert.equal(again.to.tag, first.to.tag);

  caller.send(ackFor('z9hG4bKscreen2', 'screen-2@test', first.to.tag!));
  await settle();
  assert.equal(stack.overloadStats.acksAbsorbed, 1);
  assert.equal(stack.transactions.stats.strayAcks, 0, 'the ACK never reached the transaction layer');
  assert.deepEqual(seen, []);
});

test('the ACK for a 503 the full parse made is dropped by its tag too, and once shedding stops', async (t) => {
  const admission = switchable();
  // Screening off (as while a trace runs): the refusal is made after a full parse.
  let screening = false;
  const { stack, port, seen } = await stackWith(t, admission, () => screening);
  const caller = await peer(t, port);
  caller.send(invite('z9hG4bKscreen3', 'screen-3@test'));
  const refusal = await caller.next(503);
  assert.deepEqual(seen, ['INVITE'], 'with screening off, the INVITE was parsed and observed');
  assert.equal(stack.overloadStats.shedUnparsed, 0);

  screening = true;
  admission.shedding = false;
  caller.send(ackFor('z9hG4bKscreen3', 'screen-3@test', refusal.to.tag!));
  await settle();
  assert.equal(stack.overloadStats.acksAbsorbed, 1);
  assert.equal(stack.transactions.stats.strayAcks, 0);
});

test("an ACK with any other tag, or with the 503's tag on another branch, goes on to the stack as before", async (t) => {
  const admission = switchable();
  const { stack, port } = await stackWith(t, admission);
  const caller = await peer(t, port);
  caller.send(invite('z9hG4bKscreen4', 'screen-4@test'));
  const refusal = await caller.next(503);
  caller.send(ackFor('z9hG4bKscreen4', 'screen-4@test', 'someone-elses-tag'));
  caller.send(ackFor('z9hG4bKother', 'screen-4@test', refusal.to.tag!));
  await settle();
  assert.equal(stack.overloadStats.acksAbsorbed, 0);
  assert.equal(stack.transactions.stats.strayAcks, 2);
});

test('while shedding, a retransmission of an INVITE admitted earlier reaches its transaction, which answers it again: never a 503', async (t) => {
  const admission = switchable();
  admission.shedding = false;
  const { stack, port } = await stackWith(t, admission);
  stack.setRequestHandler((request: SipRequest, tx: ServerTransaction) => {
    tx.respond(SipResponse.fromRequest(request, 180, undefined, 'uas1'));
    return true;
  });
  const caller = await peer(t, port);
  caller.send(invite('z9hG4bKscreen5', 'screen-5@test'));
  await caller.next(180);

  admission.shedding = true;
  caller.send(invite('z9hG4bKscreen5', 'screen-5@test'));
  await caller.next(180);
  await settle();
  assert.deepEqual(
    caller.received.map((r) => r.status),
    [],
    'nothing but the 180 again',
  );
  assert.deepEqual(admission.asked, ['screen-5@test'], 'the retransmission was not asked about');
  assert.equal(stack.overloadStats.shed, 0);
});

test('a request the screen admits goes the full path without being asked about twice', async (t) => {
  let calls = 0;
  const admission: SipAdmission = {
    admit: () => ++calls === 1,
    retryAfterSeconds: () => 1,
    rejectPercent: () => 50,
  };
  const { stack, port, seen } = await stackWith(t, admission);
  stack.setRequestHandler((request: SipRequest, tx: ServerTransaction) => {
    tx.respond(SipResponse.fromRequest(request, 486, undefined, 'uas1'));
    return true;
  });
  const caller = await peer(t, port);
  caller.send(invite('z9hG4bKscreen6', 'screen-6@test'));
  assert.equal((await caller.next()).status, 486, 'admitted once, answered by the user');
  assert.equal(calls, 1);
  assert.deepEqual(seen, ['INVITE']);
});

test('while shedding, a request the scan cannot vouch for takes the full parse: malformed gets its 400, in-dialog its 481', async (t) => {
  const admission = switchable();
  const { stack, port } = await stackWith(t, admission);
  const caller = await peer(t, port);
  caller.send(invite('z9hG4bKscreen7', 'screen-7@test').replace('CSeq: 7 INVITE', 'CSeq: seven INVITE'));
  assert.equal((await caller.next()).status, 400);
  caller.send(invite('z9hG4bKscreen8', 'screen-8@test').replace('To: <sip:bob@127.0.0.1>', 'To: <sip:bob@127.0.0.1>;tag=b1'));
  assert.equal((await caller.next()).status, 481);
  caller.send(invite('z9hG4bKscreen9', 'screen-9@test', ';oc'));
  const oc = await caller.next(503);
  assert.equal(oc.topVia?.params.get('oc'), '100', 'an oc-capable upstream still hears how much to drop');
  assert.deepEqual(admission.asked, ['screen-9@test']);
  assert.equal(stack.overloadStats.shedUnparsed, 1);
});
