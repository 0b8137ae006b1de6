import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SipResponse, type SipMessage, type SipRequest } from '../../resource-adaptors/sip/message/index.js';
import { freePort, runSipp, sippSkipReason } from '../sip/interop/sipp-runner.js';
import { RelayPeer } from '../sbbs/relay-peer.js';
import { UdpSipClient } from '../sbbs/udp-sip-client.js';
import { metricValue, scrape } from '../helpers/metrics-text.js';
import { WorkersProcess } from './workers-process.js';
import { WorkerHandoff } from '../../resource-adaptors/sip/transport/worker-handoff.js';

/**
 * `sleet start --workers=2` on real Redis, as an operator runs it: the demo
 * path's calls are served by both workers, whatever the kernel hands each
 * datagram of the shared port to; a retransmission and a CANCEL reach the
 * worker that owns the transaction; a killed worker comes back.
 */
describe('sleet start --workers=2', { skip: sippSkipReason() }, () => {
  let node: WorkersProcess;
  const closers: Array<() => Promise<unknown>> = [];
  before(async () => {
    // The worker ports follow the SIP port: sipPort + 1 and + 2.
    node = await WorkersProcess.start(2, await freePort());
  });
  after(async () => {
    for (const close of closers.reverse()) await close();
    assert.equal(await node?.stop(), 0, 'the primary stops its workers and exits 0 on SIGTERM');
  });

  async function register(user: string, port: number): Promise<void> {
    const client = await UdpSipClient.open(node.sipPort);
    closers.push(() => client.close());
    assert.equal((await client.register({ user, domain: '127.0.0.1', contacts: [`<sip:${user}@127.0.0.1:${port}>`] })).status, 200);
  }

  async function invitesAt(index: number): Promise<number> {
    return metricValue(await scrape(await node.managementUrl(index)), 'sleet_sip_requests_received_total', { method: 'INVITE' });
  }

  async function sippCalls(calls: number): Promise<void> {
    const calleePort = await freePort();
    await register('bob', calleePort);
    const callee = runSipp({ scenario: { file: 'uas-rr.xml' }, port: calleePort, calls });
    await new Promise((r) => setTimeout(r, 300));
    const run = await runSipp({
      scenario: { file: 'uac-rr.xml' },
      port: await freePort(),
      remote: `127.0.0.1:${node.sipPort}`,
      calls,
      service: 'bob',
      extraArgs: ['-r', '10'],
    });
    assert.equal(run.failed, 0, run.errors);
    assert.equal(run.successful, calls, run.errors);
    assert.equal((await callee).exitCode, 0);
  }

  it('takes SIPp calls through the demo path with none failed, served by both workers', async () => {
    await sippCalls(20);
    const [first, second] = [await invitesAt(0), await invitesAt(1)];
    assert.ok(first > 0 && second > 0, `INVITEs served by worker 0: ${first}, worker 1: ${second}`);
    const handedOff = await Promise.all(
      [0, 1].map(async (i) => metricValue(await scrape(await node.managementUrl(i)), 'sleet_sip_worker_handoffs_total', { direction: 'in' })),
    );
    assert.ok(handedOff[0]! + handedOff[1]! > 0, 'initial requests read by a worker that does not own them are handed over');
  });

  it('brings INVITE retransmissions and the CANCEL to the worker that owns the transaction', async () => {
    const callee = await RelayPeer.open('127.0.0.1');
    const caller = await RelayPeer.open('127.0.0.1');
    closers.push(
      () => callee.close(),
      () => caller.close(),
    );
    await register('carol', callee.port);
    // The callee rings every INVITE and ends a cancelled one with 487, as a phone does.
    const answered = new Set<string>();
    const answer = (request: SipRequest, status: number, reason: string) => {
      const via = request.topVia!;
      callee.send(
        SipResponse.fromRequest(request, status, reason, request.method === 'INVITE' ? 'c1' : undefined)
          .toBuffer()
          .toString('latin1'),
        via.port!,
        via.host,
      );
    };
    const poll = setInterval(() => {
      for (const request of callee.requests) {
        const key = `${request.method} ${request.topVia!.branch}`;
        if (answered.has(key)) continue;
        answered.add(key);
        if (request.method === 'INVITE') answer(request, 180, 'Ringing');
        if (request.method === 'CANCEL') {
          answer(request, 200, 'OK');
          const invite = callee.requests.find((r) => r.method === 'INVITE' && r.topVia!.branch === request.topVia!.branch)!;
          answer(invite, 487, 'Request Terminated');
        }
      }
    }, 5);
    closers.push(async () => clearInterval(poll));

    const calls = 8;
    for (let n = 0; n < calls; n++) {
      const callId = `handoff-${n}-${randomBytes(6).toString('hex')}`;
      const branch = `z9hG4bK${randomBytes(6).toString('hex')}`;
      const head = (method: string) =>
        [
          `${method} sip:carol@127.0.0.1 SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=${branch};rport`,
          'Max-Forwards: 70',
          `From: <sip:alice@127.0.0.1>;tag=a${n}`,
          'To: <sip:carol@127.0.0.1>',
          `Call-ID: ${callId}`,
          `CSeq: 1 ${method}`,
          `Contact: <sip:alice@127.0.0.1:${caller.port}>`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
      const isRinging = (m: SipMessage): m is SipResponse => !m.isRequest && m.callId === callId && (m as SipResponse).status === 180;
      caller.send(head('INVITE'), node.sipPort);
      // As a UAC would (Timer A): one lost datagram must not leave the call waiting for nothing.
      const timerA = setInterval(() => caller.send(head('INVITE'), node.sipPort), 500);
      await caller.next(isRinging, 10_000).finally(() => clearInterval(timerA));
      // Retransmissions and the CANCEL, each read by whichever worker the kernel wakes.
      caller.send(head('INVITE'), node.sipPort);
      caller.send(head('INVITE'), node.sipPort);
      caller.send(head('CANCEL'), node.sipPort);
      const cancelled = await caller.finalResponse(callId, 'CANCEL', 10_000);
      assert.equal(cancelled.status, 200, `the CANCEL of call ${n} met its INVITE`);
      assert.equal((await caller.finalResponse(callId, 'INVITE', 10_000)).status, 487, `call ${n} ended cancelled`);
      const forwarded = callee.requests.filter((r) => r.callId === callId);
      const invites = forwarded.filter((r) => r.method === 'INVITE');
      assert.equal(new Set(invites.map((r) => r.topVia!.branch)).size, 1, `call ${n}: the retransmissions were absorbed, not forwarded as new INVITEs`);
      const cancel = forwarded.find((r) => r.method === 'CANCEL');
      assert.ok(cancel, `call ${n}: the CANCEL was relayed to the callee`);
      assert.equal(cancel.topVia!.port, invites[0]!.topVia!.port, `call ${n}: the CANCEL left from the worker that forwarded the INVITE`);
    }
  });

  it("sees a registration made through one worker in the other's location lookups, though it had cached the old binding", async () => {
    // Which worker takes a request is its Call-ID's hash, whichever worker the kernel wakes.
    const hash = new WorkerHandoff({ index: 0, ports: [1, 2], key: Buffer.alloc(32) });
    const callIdFor = (worker: number, tag: string) => {
      for (let i = 0; ; i++) {
        const callId = `${tag}-${i}-${randomBytes(4).toString('hex')}`;
        if (hash.ownerOf(Buffer.from(`X\r\nCall-ID: ${callId}\r\n\r\n`)) === worker) return callId;
      }
    };
    const [before, after] = [await RelayPeer.open('127.0.0.1'), await RelayPeer.open('127.0.0.1')];
    const caller = await RelayPeer.open('127.0.0.1');
    const registrar = await UdpSipClient.open(node.sipPort);
    closers.push(
      () => before.close(),
      () => after.close(),
      () => caller.close(),
      () => registrar.close(),
    );
    const contact = (peer: RelayPeer) => `<sip:carol@127.0.0.1:${peer.port}>`;
    // carol's earlier bindings go, through worker 0 too.
    const cleared = await registrar.register({ user: 'carol', domain: '127.0.0.1', contacts: ['*'], expires: 0, callId: callIdFor(0, 'reg') });
    assert.equal(cleared.status, 200);
    const registered = await registrar.register({ user: 'carol', domain: '127.0.0.1', contacts: [contact(before)], callId: callIdFor(0, 'reg') });
    assert.equal(registered.status, 200);
    // The registrar answers once its transaction committed: the store holds what the REGISTER wrote.
    const stored = async (peers: RelayPeer[]) => {
      const wanted = peers.map((p) => `sip:carol@127.0.0.1:${p.port}`).sort();
      const rows = (await node.api(0, 'GET', '/profiles/tables/registrations/profiles?limit=1000')) as Array<{ values: { aor: string; contact: string } }>;
      const contacts = rows.filter((r) => r.values.aor === 'sip:carol@127.0.0.1').map((r) => r.values.contact);
      assert.deepEqual(contacts.sort(), wanted, 'the 200 to the REGISTER came before its bindings were stored');
    };
    // Each callee refuses the call at once: only where the INVITE went matters.
    const isInvite = (m: SipMessage): m is SipRequest => m.isRequest && (m as SipRequest).method === 'INVITE';
    const call = async (peer: RelayPeer) => {
      const callId = callIdFor(1, 'call');
      caller.send(
        [
          'INVITE sip:carol@127.0.0.1 SIP/2.0',
          `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
          'Max-Forwards: 70',
          'From: <sip:alice@127.0.0.1>;tag=a',
          'To: <sip:carol@127.0.0.1>',
          `Call-ID: ${callId}`,
          'CSeq: 1 INVITE',
          `Contact: <sip:alice@127.0.0.1:${caller.port}>`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
        node.sipPort,
      );
      const invite = await peer.next(isInvite, 10_000, peer.received.length);
      const via = invite.topVia!;
      peer.send(SipResponse.fromRequest(invite, 486, 'Busy Here', 'b').toBuffer().toString('latin1'), via.port!, via.host);
      assert.equal((await caller.finalResponse(callId, 'INVITE', 10_000)).status, 486);
    };
    await stored([before]);
    await call(before);
    // Moved, through worker 0: the old contact removed, a new one added.
    const moved = await registrar.register({
      user: 'carol',
      domain: '127.0.0.1',
      contacts: [`${contact(before)};expires=0`, contact(after)],
      callId: callIdFor(0, 'reg'),
    });
    assert.equal(moved.status, 200, node.output.slice(-3000));
    await stored([after]);
    await call(after);
    assert.equal(before.requests.filter((r) => r.method === 'INVITE').length, 1, 'no call to the removed contact');
  });

  it('restarts a killed worker, and calls go on through both', async () => {
    const pid = node.workerPid(1);
    const readyBefore = node.readyCount(1);
    const before = await invitesAt(0);
    process.kill(pid, 'SIGKILL');
    await node.until(() => node.readyCount(1) > readyBefore, 'worker 1 back');
    assert.notEqual(node.workerPid(1), pid);
    await sippCalls(10);
    assert.ok((await invitesAt(1)) > 0, 'the restarted worker serves calls');
    assert.ok((await invitesAt(0)) > before, 'worker 0 still serves calls');
  });
});
