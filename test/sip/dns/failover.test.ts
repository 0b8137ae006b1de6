import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createSocket, type Socket } from 'node:dgram';
import { SipStack, type Dialog, type SipRequest, type SipResponse } from '../../../resource-adaptors/sip/index.js';
import { parseMessage } from '../../../resource-adaptors/sip/message/index.js';
import { dnsmasqSkipReason, startDnsmasq, type Dnsmasq } from './dnsmasq.js';

const skip = dnsmasqSkipReason();

/** A UDP socket on 127.0.0.1 that records what it gets and answers each request with `status` (or not at all). */
async function fakeServer(status: number | undefined): Promise<{ socket: Socket; port: number; received: SipRequest[] }> {
  const socket = createSocket('udp4');
  const received: SipRequest[] = [];
  socket.on('message', (bytes, from) => {
    const request = parseMessage(bytes) as SipRequest;
    received.push(request);
    if (status === undefined || request.method === 'ACK') return;
    const head = [
      `SIP/2.0 ${status} Whatever`,
      ...request.getAll('Via').map((v) => `Via: ${v}`),
      `From: ${request.get('From')}`,
      `To: ${request.get('To')};tag=fake`,
      `Call-ID: ${request.get('Call-ID')}`,
      `CSeq: ${request.get('CSeq')}`,
      'Content-Length: 0',
    ];
    socket.send(`${head.join('\r\n')}\r\n\r\n`, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port, received };
}

/** A user agent on the stack answering every request 200, on a free loopback port. */
async function answeringUa(): Promise<{ stack: SipStack; port: number; received: SipRequest[] }> {
  const received: SipRequest[] = [];
  const stack: SipStack = new SipStack({ listen: [{ transport: 'UDP', host: '127.0.0.1', port: 0 }] });
  stack.setRequestHandler((request, tx) => {
    received.push(request);
    if (request.method === 'INVITE') stack.dialogs.uasDialog(tx).respond(tx, 200, { body: 'v=0\r\n', contentType: 'application/sdp' });
    else stack.dialogs.answer(tx, 200);
    return true;
  });
  const [point] = await stack.start();
  return { stack, port: point!.port, received };
}

function finalOf(stack: SipStack, request: SipRequest): Promise<SipResponse[]> {
  const finals: SipResponse[] = [];
  return new Promise((resolve) =>
    stack.sendRequest(request, {
      onResponse: (r) => {
        if (r.status >= 200) finals.push(r);
        if (r.status >= 200) setTimeout(() => resolve(finals), 50); // a second final would show up here
      },
    }),
  );
}

/** Client transactions among messages a target received: a retransmission (Timer E, when an answer is slow under load) shares its branch. */
function transactions(messages: SipRequest[]): number {
  return new Set(messages.map((m) => m.topVia!.branch)).size;
}

describe('RFC 3263 §4.3 failover to the next target', { skip }, () => {
  let dns: Dnsmasq;
  let busy: Awaited<ReturnType<typeof fakeServer>>;
  let silent: Awaited<ReturnType<typeof fakeServer>>;
  let good: Awaited<ReturnType<typeof answeringUa>>;
  let ua: SipStack;
  let proxy: SipStack;

  before(async () => {
    busy = await fakeServer(503);
    silent = await fakeServer(undefined);
    good = await answeringUa();
    dns = await startDnsmasq([
      // busy.test: the first SRV target answers 503, the second is a working UA.
      `--srv-host=_sip._udp.busy.test,one.busy.test,${busy.port},1,0`,
      `--srv-host=_sip._udp.busy.test,two.busy.test,${good.port},2,0`,
      '--host-record=one.busy.test,127.0.0.1',
      '--host-record=two.busy.test,127.0.0.1',
      // silent.test: the first SRV target never answers.
      `--srv-host=_sip._udp.silent.test,one.silent.test,${silent.port},1,0`,
      `--srv-host=_sip._udp.silent.test,two.silent.test,${good.port},2,0`,
      '--host-record=one.silent.test,127.0.0.1',
      '--host-record=two.silent.test,127.0.0.1',
      // only.test: a single target that answers 503: nothing to fail over to.
      `--srv-host=_sip._udp.only.test,one.busy.test,${busy.port},1,0`,
    ]);
    // T1 of 10 ms: Timer B/F fire after 640 ms.
    ua = new SipStack({ listen: [{ transport: 'UDP', host: '127.0.0.1', port: 0 }], dnsServers: [dns.server], timers: { t1: 10 } });
    await ua.start();
    proxy = new SipStack({
      listen: [{ transport: 'UDP', host: '127.0.0.1', port: 0 }],
      role: 'proxy',
      dnsServers: [dns.server],
      onRequest: (request, tx) => {
        proxy.proxy.proxyTo(tx, [{ uri: `sip:${request.uri.user}@busy.test` }]);
        return true;
      },
    });
    await proxy.start();
  });

  after(async () => {
    await ua.close();
    await proxy.close();
    await good.stack.close();
    busy.socket.close();
    silent.socket.close();
    await dns.stop();
  });

  it('a 503 from the first SRV target sends the request to the second in a new transaction; the sender sees only the 200', async () => {
    const before = { busy: busy.received.length, good: good.received.length };
    const finals = await finalOf(ua, ua.createRequest('MESSAGE', { to: 'sip:svc@busy.test' }));
    assert.deepEqual(
      finals.map((r) => r.status),
      [200],
    );
    const atBusy = busy.received.slice(before.busy);
    const atGood = good.received.slice(before.good);
    assert.equal(transactions(atBusy), 1);
    assert.equal(transactions(atGood), 1);
    assert.notEqual(atBusy[0]!.topVia!.branch, atGood[0]!.topVia!.branch, 'a new client transaction, so a new branch');
  });

  it('a first target that never answers times out (Timer F) and the second answers', async () => {
    const finals = await finalOf(ua, ua.createRequest('OPTIONS', { to: 'sip:svc@silent.test' }));
    assert.deepEqual(
      finals.map((r) => r.status),
      [200],
    );
    assert.ok(silent.received.length >= 2, 'the silent target got the request and its retransmissions');
  });

  it('an INVITE refused 503 by the first target is ACKed there and answered by the second', async () => {
    const before = busy.received.length;
    const invite = ua.invite(ua.createInvite({ to: 'sip:svc@busy.test' }));
    const [answer, dialog] = (await once(invite, 'success')) as [SipResponse, Dialog];
    assert.equal(answer.status, 200);
    const atBusy = busy.received.slice(before);
    assert.deepEqual(
      atBusy.map((r) => r.method),
      ['INVITE', 'ACK'],
    );
    assert.equal(atBusy[1]!.topVia!.branch, atBusy[0]!.topVia!.branch, 'the ACK for the 503 is hop-by-hop, on the INVITE branch');
    const bye = await new Promise<SipResponse>((resolve) => dialog.sendRequest('BYE', { onResponse: (r) => r.status >= 200 && resolve(r) }));
    assert.equal(bye.status, 200);
  });

  it('with no target left, the 503 reaches the sender', async () => {
    const finals = await finalOf(ua, ua.createRequest('MESSAGE', { to: 'sip:svc@only.test' }));
    assert.deepEqual(
      finals.map((r) => r.status),
      [503],
    );
  });

  it('on the wire through a proxy: it locates busy.test, fails over from the 503 and relays the 200', async () => {
    const [point] = proxy.listenPoints;
    const before = { busy: busy.received.length, good: good.received.length };
    const request = ua.createRequest('MESSAGE', { to: 'sip:bob@busy.test' });
    const finals = await new Promise<SipResponse[]>((resolve) => {
      const seen: SipResponse[] = [];
      ua.sendRequest(request, {
        target: { transport: 'UDP', host: '127.0.0.1', port: point!.port },
        onResponse: (r) => {
          if (r.status < 200) return;
          seen.push(r);
          setTimeout(() => resolve(seen), 50);
        },
      });
    });
    assert.deepEqual(
      finals.map((r) => r.status),
      [200],
    );
    const atBusy = busy.received.slice(before.busy);
    const atGood = good.received.slice(before.good);
    assert.equal(transactions(atBusy), 1);
    assert.equal(transactions(atGood), 1);
    assert.equal(atGood[0]!.vias.length, 2, 'the proxy forwarded it (its Via on top)');
    const [busyBranch, goodBranch] = [atBusy[0]!.topVia!.branch!, atGood[0]!.topVia!.branch!];
    assert.notEqual(goodBranch, busyBranch);
    assert.equal(goodBranch.split('.')[0], busyBranch.split('.')[0], 'the new branch keeps the loop hash of the proxy');
    assert.equal(goodBranch.split('.').length, 3, 'and is signed like every branch of the proxy');
  });
});
