import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RouteTokens, type ProxyContext, type ProxyOptions, type ProxyTarget } from '../../../resource-adaptors/sip/proxy/index.js';
import { NameAddr, type SipRequest, type SipResponse } from '../../../resource-adaptors/sip/message/index.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { answer, flush, incoming, stackHarness, type IncomingSpec } from '../dialog/stack-harness.js';

function proxy(targets: ProxyTarget[], options: ProxyOptions = {}, spec: IncomingSpec = {}) {
  const h = stackHarness({ role: 'proxy', proxy: { timerC: 200_000 } });
  const finals: number[] = [];
  h.stack.setRequestHandler((_request, tx) => {
    const ctx = h.stack.proxy.proxyTo(tx, targets, options);
    ctx.on('completed', (r) => finals.push(r.status));
    return true;
  });
  h.transport.inject(incoming(spec));
  const forwarded = (host?: string): SipRequest[] => h.transport.requests('INVITE').filter((r) => host === undefined || r.uri.host === host);
  const upstream = (): number[] =>
    h.transport
      .responses()
      .filter((r) => r.cseq.method === 'INVITE')
      .map((r) => r.status);
  return { ...h, finals, forwarded, upstream };
}

describe('proxy core: validation (§16.3)', () => {
  it('answers 483 when Max-Forwards is 0', () => {
    const { transport } = proxy([{ uri: 'sip:b@127.0.0.9' }], {}, { extra: '', uri: 'sip:bob@127.0.0.1:5060' });
    assert.equal(transport.responses(100).length, 1);
    const h = proxy([{ uri: 'sip:b@127.0.0.9' }]);
    const req = incoming({ branch: 'z9hG4bKmf0', callId: 'mf0' });
    req.set('Max-Forwards', '0');
    h.transport.inject(req);
    assert.equal(h.transport.responses().find((r) => r.callId === 'mf0')!.status, 483);
  });

  it('answers 420 with Unsupported for an unknown Proxy-Require', () => {
    const { transport } = proxy([{ uri: 'sip:b@127.0.0.9' }], {}, { extra: 'Proxy-Require: foo, bar\n' });
    const r = transport.responses(420)[0]!;
    assert.deepEqual(r.getAll('Unsupported'), ['foo', 'bar']);
    assert.equal(transport.requests('INVITE').length, 0);
  });

  it('detects a loop (482) when its own forward comes back unchanged, not a spiral', () => {
    const h = proxy([{ uri: 'sip:bob@127.0.0.1:5060' }]);
    const looped = h.forwarded()[0]!.clone();
    // What the real transport does on sending: our listen point becomes the Via sent-by.
    const vias = looped.getAll('Via');
    vias[0] = vias[0]!.replace('0.0.0.0', '127.0.0.1:5060');
    looped.set('Via', vias);
    h.transport.inject(looped);
    assert.equal(h.transport.responses(482).length, 1);
  });
});

describe('proxy core: forwarding (§16.6)', () => {
  it('sends 100 Trying, decrements Max-Forwards, Record-Routes with lr and adds its Via', () => {
    const { transport, forwarded } = proxy([{ uri: 'sip:b@127.0.0.9:5080' }]);
    assert.equal(transport.responses(100).length, 1);
    const out = forwarded()[0]!;
    assert.equal(out.uri.toString(), 'sip:b@127.0.0.9:5080');
    assert.equal(out.maxForwards, 69);
    // The token binds the route set to this dialog (Call-ID and From tag), see 'relay policy' below.
    assert.match(out.get('Record-Route')!, /^<sip:127\.0\.0\.1:5060;lr;rrt=[A-Za-z0-9_-]{11}>$/);
    assert.equal(out.vias.length, 2);
    assert.match(out.topVia!.branch!, /^z9hG4bK.+\..+$/);
    assert.deepEqual(transport.sent.find((s) => s.message === out)!.target, { transport: 'UDP', host: '127.0.0.9', port: 5080 });
  });

  it('forks in parallel, relays the 2xx at once and CANCELs the ringing branch', () => {
    const h = proxy([{ uri: 'sip:a@127.0.0.10' }, { uri: 'sip:b@127.0.0.11' }]);
    const [a, b] = [h.forwarded('127.0.0.10')[0]!, h.forwarded('127.0.0.11')[0]!];
    h.transport.inject(answer(b, 180, 'tb'));
    h.transport.inject(answer(a, 200, 'ta'));
    assert.deepEqual(h.upstream(), [100, 180, 200]);
    const cancel = h.transport.requests('CANCEL')[0]!;
    assert.equal(cancel.topVia!.branch, b.topVia!.branch);
    const relayed = h.transport.responses(200)[0]!;
    assert.equal(relayed.vias.length, 1);
    assert.deepEqual(h.finals, [200]);
  });

  it('forks sequentially by q groups, highest q first', () => {
    const h = proxy(
      [
        { uri: 'sip:low@127.0.0.12', q: 0.5 },
        { uri: 'sip:high@127.0.0.13', q: 1 },
      ],
      { parallel: false },
    );
    assert.deepEqual(
      h.forwarded().map((r) => r.uri.user),
      ['high'],
    );
    h.transport.inject(answer(h.forwarded()[0]!, 486, 'x'));
    assert.deepEqual(
      h.forwarded().map((r) => r.uri.user),
      ['high', 'low'],
    );
    h.transport.inject(answer(h.forwarded()[1]!, 404, 'y'));
    // Both 4xx: the first branch in target order wins.
    assert.deepEqual(h.finals, [486]);
  });

  it('picks the best response: lowest class, 6xx wins, 503 becomes 500', () => {
    const cases: Array<[number[], number]> = [
      [[486, 302], 302],
      [[404, 603], 603],
      [[503], 500],
      [[500, 486], 486],
    ];
    for (const [statuses, expected] of cases) {
      const targets = statuses.map((_, i) => ({ uri: `sip:t${i}@127.0.0.${20 + i}` }));
      const h = proxy(targets);
      statuses.forEach((status, i) => h.transport.inject(answer(h.forwarded(`127.0.0.${20 + i}`)[0]!, status, `t${i}`)));
      assert.deepEqual(h.finals, [expected], `for ${statuses.join(',')}`);
    }
  });

  it('aggregates the challenges of 401/407 branches', () => {
    const h = proxy([{ uri: 'sip:a@127.0.0.10' }, { uri: 'sip:b@127.0.0.11' }]);
    h.transport.inject(answer(h.forwarded('127.0.0.10')[0]!, 407, 'a', { 'Proxy-Authenticate': 'Digest realm="a", nonce="1"' }));
    h.transport.inject(answer(h.forwarded('127.0.0.11')[0]!, 401, 'b', { 'WWW-Authenticate': 'Digest realm="b", nonce="2"' }));
    const sent = h.transport.responses(407)[0]!;
    assert.equal(sent.get('Proxy-Authenticate'), 'Digest realm="a", nonce="1"');
    assert.equal(sent.get('WWW-Authenticate'), 'Digest realm="b", nonce="2"');
  });

  it('lets the SBB forward on busy instead of relaying the 486', () => {
    const h = proxy([{ uri: 'sip:a@127.0.0.10' }], {
      onBranchResponse: (_branch, response, ctx) => {
        if (response.status === 486) ctx.addTarget({ uri: 'sip:voicemail@127.0.0.30' });
      },
    });
    h.transport.inject(answer(h.forwarded('127.0.0.10')[0]!, 486, 'a'));
    assert.equal(h.transport.responses(486).length, 0);
    h.transport.inject(answer(h.forwarded('127.0.0.30')[0]!, 200, 'vm'));
    assert.deepEqual(h.finals, [200]);
  });
});

describe('proxy core: CANCEL and Timer C', () => {
  it('answers an upstream CANCEL 200, cancels the branches and relays 487', () => {
    const h = proxy([{ uri: 'sip:a@127.0.0.10' }]);
    const out = h.forwarded()[0]!;
    h.transport.inject(answer(out, 180, 'a'));
    h.transport.inject(incoming({ method: 'CANCEL' }));
    assert.equal(h.transport.responses().find((r) => r.cseq.method === 'CANCEL')!.status, 200);
    const cancel = h.transport.requests('CANCEL')[0]!;
    assert.equal(cancel.topVia!.branch, out.topVia!.branch);
    h.transport.inject(answer(out, 487, 'a'));
    assert.deepEqual(h.upstream(), [100, 180, 487]);
  });

  it('CANCELs a ringing branch when Timer C fires, and makes a silent one a 408', async () => {
    const branchStatuses: number[] = [];
    const h = proxy([{ uri: 'sip:a@127.0.0.10' }, { uri: 'sip:b@127.0.0.11' }], {
      timerC: 10_000,
      onBranchResponse: (_branch, response) => branchStatuses.push(response.status),
    });
    await flush();
    h.transport.inject(answer(h.forwarded('127.0.0.10')[0]!, 180, 'a'));
    h.clock.advance(9_999);
    assert.equal(h.transport.requests('CANCEL').length, 0);
    h.clock.advance(1);
    assert.equal(h.transport.requests('CANCEL').length, 1);
    assert.deepEqual(branchStatuses, [180, 408]);
    h.transport.inject(answer(h.forwarded('127.0.0.10')[0]!, 487, 'a'));
    assert.deepEqual(h.finals, [487]);
  });
});

describe('proxy core: routing back and stateless paths', () => {
  it('forwards an in-dialog BYE along its Route and an ACK statelessly', () => {
    const h = proxy([{ uri: 'sip:bob@127.0.0.9:5080' }]);
    const route = h.forwarded()[0]!.get('Record-Route')!;
    const bye = incoming({ method: 'BYE', uri: 'sip:bob@127.0.0.9:5080', toTag: 'b', branch: 'z9hG4bKbye', cseq: 2, extra: `Route: ${route}\n` });
    h.transport.inject(bye);
    const out = h.transport.requests('BYE')[0]!;
    assert.equal(out.uri.toString(), 'sip:bob@127.0.0.9:5080');
    assert.equal(out.has('Route'), false);
    h.transport.inject(answer(out, 200, 'b'));
    assert.equal(h.transport.responses(200)[0]!.vias.length, 1);
    h.transport.inject(incoming({ method: 'ACK', uri: 'sip:bob@127.0.0.9:5080', toTag: 'b', branch: 'z9hG4bKack', extra: `Route: ${route}\n` }));
    const ack = h.transport.requests('ACK')[0]!;
    assert.equal(ack.vias.length, 2);
    assert.equal(ack.maxForwards, 69);
  });

  it('forwards statelessly with a branch that is the same for a retransmission', async () => {
    const h = stackHarness({ role: 'proxy' });
    const source = { transport: 'UDP' as const, remoteAddress: '127.0.0.2', remotePort: 5070, localAddress: '127.0.0.1', localPort: 5060 };
    await h.stack.proxy.forwardStateless(incoming({ method: 'MESSAGE', uri: 'sip:bob@127.0.0.9' }), source);
    await h.stack.proxy.forwardStateless(incoming({ method: 'MESSAGE', uri: 'sip:bob@127.0.0.9' }), source);
    const [first, second] = h.transport.requests('MESSAGE');
    assert.equal(first!.topVia!.branch, second!.topVia!.branch);
    assert.equal(h.stack.transactions.stats.clientTransactions, 0);
  });
});

describe('proxy core: relay policy (in-dialog requests only along a route set we record-routed)', () => {
  const secret = Buffer.alloc(32, 7);
  /** A proxy that record-routed the default INVITE (Call-ID c1@127.0.0.2, From tag alice1); its Record-Route value. */
  function recordRouted(routeSecret = secret) {
    const h = stackHarness({ role: 'proxy', proxy: { routeSecret } });
    h.stack.setRequestHandler((_request, tx) => {
      h.stack.proxy.proxyTo(tx, [{ uri: 'sip:bob@127.0.0.9:5080' }]);
      return true;
    });
    h.transport.inject(incoming());
    return { ...h, route: h.transport.requests('INVITE')[0]!.get('Record-Route')! };
  }
  const bye = (spec: IncomingSpec) =>
    incoming({ method: 'BYE', uri: 'sip:bob@127.0.0.9:5080', toTag: 'b', branch: `z9hG4bK${Math.random().toString(36).slice(2)}`, cseq: 2, ...spec });

  it("answers 481 to an in-dialog request whose Route of ours carries no token, a forged one, or another dialog's, and forwards nothing", () => {
    const h = recordRouted();
    const forged = h.route.replace(/rrt=([A-Za-z0-9_-])/, (_m, c: string) => `rrt=${c === 'A' ? 'B' : 'A'}`);
    const cases = [
      bye({ extra: 'Route: <sip:127.0.0.1:5060;lr>\n' }),
      bye({ extra: 'Route: <sip:127.0.0.1:5060;lr;rrt=AAAAAAAAAAAAAAAAAAAAAA>\n' }),
      bye({ extra: `Route: ${forged}\n` }),
      bye({ callId: 'other@127.0.0.2', extra: `Route: ${h.route}\n` }),
      bye({ fromTag: 'mallory', toTag: 'b', extra: `Route: ${h.route}\n` }),
      bye({}),
    ];
    for (const request of cases) h.transport.inject(request);
    assert.deepEqual(
      h.transport
        .responses()
        .filter((r) => r.cseq.method === 'BYE')
        .map((r) => r.status),
      [481, 481, 481, 481, 481, 481],
    );
    assert.equal(h.transport.requests('BYE').length, 0);
  });

  it('drops an ACK routed through us without a token of its dialog', () => {
    const h = recordRouted();
    h.transport.inject(incoming({ method: 'ACK', uri: 'sip:bob@127.0.0.9:5080', toTag: 'b', branch: 'z9hG4bKa1', extra: 'Route: <sip:127.0.0.1:5060;lr>\n' }));
    h.transport.inject(
      incoming({ method: 'ACK', uri: 'sip:bob@127.0.0.9:5080', toTag: 'b', branch: 'z9hG4bKa2', callId: 'other@127.0.0.2', extra: `Route: ${h.route}\n` }),
    );
    h.transport.inject(incoming({ method: 'ACK', uri: 'sip:bob@127.0.0.9:5080', toTag: 'b', branch: 'z9hG4bKa3' }));
    assert.equal(h.transport.requests('ACK').length, 0);
  });

  it('forwards in both directions of the dialog, and from a strict router that put our URI in the Request-URI', () => {
    const h = recordRouted();
    h.transport.inject(bye({ extra: `Route: ${h.route}\n` }));
    // The callee's request: the initiator's tag is now the To tag.
    h.transport.inject(bye({ uri: 'sip:alice@127.0.0.2:5070', fromTag: 'b', toTag: 'alice1', extra: `Route: ${h.route}\n` }));
    const strict = bye({ extra: 'Route: <sip:bob@127.0.0.9:5080>\n' });
    strict.uri = NameAddr.parse(h.route).uri;
    h.transport.inject(strict);
    assert.deepEqual(
      h.transport.requests('BYE').map((r) => r.uri.toString()),
      ['sip:bob@127.0.0.9:5080', 'sip:alice@127.0.0.2:5070', 'sip:bob@127.0.0.9:5080'],
    );
  });

  it('verifies the tokens of another proxy holding the same secret, not of one with another', () => {
    const issuer = recordRouted();
    const peer = stackHarness({ role: 'proxy', proxy: { routeSecret: Buffer.from(secret) } });
    const stranger = stackHarness({ role: 'proxy', proxy: { routeSecret: Buffer.alloc(32, 9) } });
    for (const h of [peer, stranger]) h.transport.inject(bye({ extra: `Route: ${issuer.route}\n` }));
    assert.equal(peer.transport.requests('BYE').length, 1);
    assert.equal(stranger.transport.requests('BYE').length, 0);
    assert.equal(stranger.transport.responses(481).length, 1);
  });

  it('takes the place of a peer at another address that record-routed with the same secret (a dead node of the cluster)', () => {
    const issuer = recordRouted();
    const deadPeer = issuer.route.replace('127.0.0.1:5060', '127.0.0.77:5099');
    const survivor = stackHarness({ role: 'proxy', proxy: { routeSecret: Buffer.from(secret) } });
    const stranger = stackHarness({ role: 'proxy', proxy: { routeSecret: Buffer.alloc(32, 9) } });
    for (const h of [survivor, stranger]) h.transport.inject(bye({ extra: `Route: ${deadPeer}\n` }));
    const relayed = survivor.transport.requests('BYE');
    assert.equal(relayed.length, 1);
    assert.equal(relayed[0]!.uri.toString(), 'sip:bob@127.0.0.9:5080');
    assert.equal(relayed[0]!.get('Route'), undefined, "the dead peer's Route is taken off, not followed");
    assert.equal(stranger.transport.requests('BYE').length, 0);
    assert.equal(stranger.transport.responses(481).length, 1);
  });

  it('relays a stray response only when its top Via branch carries our signature', async () => {
    const h = stackHarness({ role: 'proxy', proxy: { routeSecret: secret } });
    const source = { transport: 'UDP' as const, remoteAddress: '127.0.0.2', remotePort: 5070, localAddress: '127.0.0.1', localPort: 5060 };
    await h.stack.proxy.forwardStateless(incoming({ method: 'MESSAGE', uri: 'sip:bob@127.0.0.9' }), source);
    const out = h.transport.requests('MESSAGE')[0]!;
    const vias = out.getAll('Via');
    vias[0] = vias[0]!.replace('0.0.0.0', '127.0.0.1:5060');
    out.set('Via', vias);
    const forged = out.clone();
    forged.set('Via', [vias[0]!.replace(/branch=([^;]+)/, (_m, b: string) => `branch=${b.slice(0, -1)}${b.endsWith('A') ? 'B' : 'A'}`), vias[1]!]);
    h.transport.inject(answer(forged, 200));
    assert.equal(h.transport.responses(200).length, 0, 'a made-up response is dropped');
    h.transport.inject(answer(out, 200));
    assert.equal(h.transport.responses(200).length, 1, 'the answer to our forward goes upstream');
  });

  it('relays a stray response on a branch signed by a node of the release before SipHash (HMAC-SHA-256), as while a cluster is upgraded', async () => {
    const h = stackHarness({ role: 'proxy', proxy: { routeSecret: secret } });
    const source = { transport: 'UDP' as const, remoteAddress: '127.0.0.2', remotePort: 5070, localAddress: '127.0.0.1', localPort: 5060 };
    await h.stack.proxy.forwardStateless(incoming({ method: 'MESSAGE', uri: 'sip:bob@127.0.0.9' }), source);
    const out = h.transport.requests('MESSAGE')[0]!;
    const branch = out.topVia!.branch!;
    const unsigned = branch.slice(0, branch.lastIndexOf('.'));
    const earlier = createHmac('sha256', secret)
      .update(`branch\n${unsigned.slice('z9hG4bK'.length)}`)
      .digest()
      .subarray(0, 8)
      .toString('base64url');
    assert.notEqual(`${unsigned}.${earlier}`, branch, 'the signature differs from the one this release writes');
    const vias = out.getAll('Via');
    vias[0] = vias[0]!.replace('0.0.0.0', '127.0.0.1:5060').replace(branch, `${unsigned}.${earlier}`);
    out.set('Via', vias);
    h.transport.inject(answer(out, 200));
    assert.equal(h.transport.responses(200).length, 1);
  });

  it('refuses a route secret shorter than 32 bytes', () => {
    assert.throws(
      () => new RouteTokens(Buffer.alloc(16)),
      (err) => SleetError.is(err, ErrorCode.CONFIG_INVALID),
    );
  });
});

/** Whether the object behind `ref` is gone after a full GC, once the job that last touched it has ended. */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  await new Promise((resolve) => setImmediate(resolve));
  (globalThis as { gc?: () => void }).gc!();
  return ref.deref() === undefined;
}

describe('proxy core: once completed (§16.7 step 5)', () => {
  it('relays a late 2xx from another fork, while the request and the messages of the call are let go', async () => {
    const h = stackHarness({ role: 'proxy', proxy: { timerC: 200_000 } });
    const finals: number[] = [];
    let ctx: ProxyContext | undefined;
    h.stack.setRequestHandler((_request, tx) => {
      ctx = h.stack.proxy.proxyTo(tx, [{ uri: 'sip:a@127.0.0.10' }, { uri: 'sip:b@127.0.0.11' }], { onCompleted: (r) => finals.push(r.status) });
      return true;
    });
    let received: SipRequest | undefined = incoming({ branch: 'z9hG4bKfork' });
    const refs: Array<WeakRef<object>> = [new WeakRef(received)];
    h.transport.inject(received);
    received = undefined;
    const forwarded = (host: string) => h.transport.requests('INVITE').find((r) => r.uri.host === host)!;
    const okB = answer(forwarded('127.0.0.11'), 200, 'tb');
    let early: SipResponse[] | undefined = [answer(forwarded('127.0.0.11'), 180, 'tb'), answer(forwarded('127.0.0.10'), 200, 'ta')];
    refs.push(new WeakRef(forwarded('127.0.0.10')), ...early.map((r) => new WeakRef(r)));
    early.forEach((r) => h.transport.inject(r));
    early = undefined;
    assert.deepEqual(finals, [200]);
    assert.equal(h.transport.requests('CANCEL').length, 1, 'the ringing fork is cancelled');
    h.transport.sent.length = 0; // the test transport's own record of what went out
    for (const [i, ref] of refs.entries()) assert.ok(await collected(ref), `${['request', 'forwarded copy', '180', '200'][i]} let go`);
    assert.throws(
      () => ctx!.request,
      (err) => SleetError.is(err, ErrorCode.SIP_PROXY),
    );
    h.transport.inject(okB);
    const relayed = h.transport.responses(200);
    assert.equal(relayed.length, 1, 'the late 2xx goes upstream too');
    assert.equal(relayed[0]!.to.tag, 'tb');
    assert.equal(relayed[0]!.vias.length, 1, 'with our Via removed');
    assert.deepEqual(
      ctx!.branches.map((branch) => branch.finalStatus),
      [200, 200],
    );
  });

  it('is let go at completion while its branch waits out Timer M, which still relays a 2xx retransmission and records it', async () => {
    const h = stackHarness({ role: 'proxy', proxy: { timerC: 200_000 } });
    let ctx: ProxyContext | undefined;
    h.stack.setRequestHandler((_request, tx) => {
      ctx = h.stack.proxy.proxyTo(tx, [{ uri: 'sip:a@127.0.0.10' }], { onCompleted: () => undefined });
      return true;
    });
    h.transport.inject(incoming({ branch: 'z9hG4bKletgo' }));
    const forwarded = h.transport.requests('INVITE')[0]!;
    const ok = () => answer(forwarded, 200, 'ta');
    h.transport.inject(ok());
    const branch = ctx!.branches[0]!;
    assert.equal(branch.transaction.state, 'Accepted', 'the branch waits out Timer M');
    const ref = new WeakRef(ctx!);
    ctx = undefined;
    assert.ok(await collected(ref), 'the completed context is let go');
    h.transport.sent.length = 0;
    h.transport.inject(ok());
    const relayed = h.transport.responses(200);
    assert.equal(relayed.length, 1, 'the retransmitted 2xx goes upstream');
    assert.equal(relayed[0]!.vias.length, 1, 'with our Via removed');
    assert.equal(branch.finalStatus, 200);
    assert.deepEqual(h.errors, []);
  });

  it('lets go of a branch that has its final response, while its transaction waits out Timer M and relays', async () => {
    const h = stackHarness({ role: 'proxy', proxy: { timerC: 200_000 } });
    let ctx: ProxyContext | undefined;
    h.stack.setRequestHandler((_request, tx) => {
      ctx = h.stack.proxy.proxyTo(tx, [{ uri: 'sip:a@127.0.0.10' }], { onCompleted: () => undefined });
      return true;
    });
    h.transport.inject(incoming({ branch: 'z9hG4bKbranchgo' }));
    const forwarded = h.transport.requests('INVITE')[0]!;
    const ok = () => answer(forwarded, 200, 'ta');
    h.transport.inject(ok());
    const transaction = ctx!.branches[0]!.transaction;
    const ref = new WeakRef(ctx!.branches[0]!);
    ctx = undefined;
    h.transport.sent.length = 0;
    assert.ok(await collected(ref), 'the answered branch is let go with its context');
    assert.equal(transaction.state, 'Accepted', 'its transaction still waits out Timer M');
    h.transport.inject(ok());
    assert.equal(h.transport.responses(200).length, 1, 'and still relays a 2xx retransmission upstream');
    assert.deepEqual(h.errors, []);
  });

  it('keeps telling whoever listens for forwarded responses of a late 2xx', () => {
    const h = stackHarness({ role: 'proxy', proxy: { timerC: 200_000 } });
    const forwarded: number[] = [];
    h.stack.setRequestHandler((_request, tx) => {
      h.stack.proxy.proxyTo(tx, [{ uri: 'sip:a@127.0.0.10' }, { uri: 'sip:b@127.0.0.11' }]).on('forwarded', (r) => forwarded.push(r.status));
      return true;
    });
    h.transport.inject(incoming({ branch: 'z9hG4bKlisten' }));
    const forward = (host: string) => h.transport.requests('INVITE').find((r) => r.uri.host === host)!;
    const okB = answer(forward('127.0.0.11'), 200, 'tb');
    h.transport.inject(answer(forward('127.0.0.11'), 180, 'tb'));
    h.transport.inject(answer(forward('127.0.0.10'), 200, 'ta'));
    h.transport.inject(okB);
    assert.deepEqual(forwarded, [180, 200, 200]);
  });

  it('hands the final response to onCompleted, also when the request is refused before any branch', () => {
    const completedWith: number[] = [];
    const h = proxy(
      [{ uri: 'sip:b@127.0.0.9' }],
      { onCompleted: (r, ctx) => completedWith.push(ctx.isCompleted ? r.status : -1) },
      { extra: 'Proxy-Require: foo\n' },
    );
    assert.deepEqual(completedWith, [420]);
    assert.deepEqual(h.finals, [], 'completed before anyone could listen to the event');
  });
});
