import 'reflect-metadata';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { NameAddr, type SipMessage, type SipRequest, type SipResponse } from '../../resource-adaptors/sip/message/index.js';
import { configureDigestAuth } from '../../sbbs/digest-auth/digest-auth-settings.js';
import { parseDigestCredentials } from '../../sbbs/digest-auth/parse-digest-credentials.js';
import { digestResponse } from '../../sbbs/digest-auth/digest-response.js';
import { UdpSipClient } from './udp-sip-client.js';
import { RelayPeer } from './relay-peer.js';
import { DOMAIN, USERS, openSubscriberStore, startTelephonySlee } from './telephony-fixture.js';

/** How long a listener must stay silent: a relay, when there is one, goes out as the refusal would. */
const QUIET_MS = 400;

interface RequestSpec {
  method: string;
  uri: string;
  from?: string;
  fromTag?: string;
  to?: string;
  toTag?: string;
  callId?: string;
  cseq?: number;
  routes?: string[];
  extra?: string[];
}

/** A demo-like node (digest auth, registrar, location proxy, no --trusted), a stranger, and a listener that must hear nothing. */
async function setup(t: TestContext) {
  const store = await openSubscriberStore(t);
  const { port } = await startTelephonySlee(t, store);
  const open = async (address: string) => {
    const peer = await RelayPeer.open(address);
    t.after(() => peer.close());
    return peer;
  };
  const mallory = await open('127.0.0.2');
  const listener = await open('127.0.0.3');
  const bob = await open('127.0.0.4');
  const registrar = await UdpSipClient.open(port);
  t.after(() => registrar.close());
  const registered = await registrar.register({ user: 'bob', domain: DOMAIN, password: USERS.bob, contacts: [`<sip:bob@${bob.address}:${bob.port}>`] });
  assert.equal(registered.status, 200);
  const node = `127.0.0.1:${port}`;
  const victim = `sip:victim@${listener.address}:${listener.port}`;

  /** A request text from `peer` (mallory unless told), as a stranger writes it. */
  const text = (spec: RequestSpec, peer = mallory): string => {
    const lines = [
      `${spec.method} ${spec.uri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${peer.address}:${peer.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
      'Max-Forwards: 70',
      `From: <${spec.from ?? 'sip:mallory@attacker.example'}>;tag=${spec.fromTag ?? randomBytes(4).toString('hex')}`,
      `To: <${spec.to ?? spec.uri}>${spec.toTag === undefined ? '' : `;tag=${spec.toTag}`}`,
      `Call-ID: ${spec.callId ?? randomBytes(8).toString('hex')}`,
      `CSeq: ${spec.cseq ?? 1} ${spec.method}`,
      `Contact: <sip:mallory@${peer.address}:${peer.port}>`,
      ...(spec.routes ?? []).map((r) => `Route: ${r}`),
      ...(spec.method === 'NOTIFY' ? ['Event: presence', 'Subscription-State: active;expires=60'] : []),
      ...(spec.extra ?? []),
      'Content-Length: 0',
      '',
      '',
    ];
    return lines.join('\r\n');
  };

  const heard = () => listener.received.map((m) => (m.isRequest ? `${(m as SipRequest).method} ${(m as SipRequest).uri}` : `${(m as SipResponse).status}`));

  /** Sends a request from `peer` to the node and resolves with its final response (none comes when it was relayed to the silent listener). */
  const ask = async (spec: RequestSpec, peer = mallory): Promise<SipResponse> => {
    const callId = spec.callId ?? randomBytes(8).toString('hex');
    const answer = peer.finalResponse(callId, spec.method, 3000, peer.received.length);
    peer.send(text({ ...spec, callId }, peer), port);
    try {
      return await answer;
    } catch (err) {
      assert.deepEqual(heard(), [], `${spec.method} got no final response: the node relayed it to ${listener.address}:${listener.port}`);
      throw err;
    }
  };

  /** Whether the listener stays silent for QUIET_MS; says what it got otherwise. */
  const assertListenerQuiet = async (what: string) => {
    await new Promise((r) => setTimeout(r, QUIET_MS));
    assert.deepEqual(heard(), [], `${what}: the node relayed to ${listener.address}:${listener.port}`);
  };

  return { port, node, victim, mallory, listener, bob, text, ask, assertListenerQuiet };
}

type Setup = Awaited<ReturnType<typeof setup>>;

/**
 * A genuine dialog the node record-routed: mallory (a foreign user, who may
 * call local users unchallenged) calls bob. Returns its identifiers and the
 * route set mallory learnt from the 200.
 */
async function recordRoutedCall(s: Setup) {
  const callId = `dlg-${randomBytes(6).toString('hex')}`;
  const fromTag = `m${randomBytes(3).toString('hex')}`;
  s.mallory.send(s.text({ method: 'INVITE', uri: `sip:bob@${DOMAIN}`, callId, fromTag }), s.port);
  const invite = await s.bob.next((m): m is SipRequest => m.isRequest && (m as SipRequest).method === 'INVITE' && m.callId === callId);
  const recordRoutes = invite.getAll('Record-Route');
  assert.equal(recordRoutes.length > 0, true, 'the node record-routes the INVITE');
  const toTag = `b${randomBytes(3).toString('hex')}`;
  const ok = [
    'SIP/2.0 200 OK',
    ...invite.getAll('Via').map((v) => `Via: ${v}`),
    ...recordRoutes.map((r) => `Record-Route: ${r}`),
    `From: ${invite.get('From')}`,
    `To: ${invite.get('To')};tag=${toTag}`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:bob@${s.bob.address}:${s.bob.port}>`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const [via] = invite.vias;
  s.bob.send(ok, via!.port!, via!.host);
  const answered = await s.mallory.finalResponse(callId, 'INVITE');
  assert.equal(answered.status, 200);
  const routeSet = answered.getAll('Record-Route');
  assert.deepEqual(routeSet, recordRoutes);
  return { callId, fromTag, toTag, routeSet, bobUri: `sip:bob@${s.bob.address}:${s.bob.port}` };
}

/** The route set with every URI parameter value but `lr` altered: a forged token. */
function tampered(routeSet: string[]): string[] {
  return routeSet.map((r) => {
    const addr = NameAddr.parse(r);
    for (const [name, value] of addr.uri.params) {
      if (name !== 'lr' && value !== null) addr.uri.params.set(name, `${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`);
    }
    return addr.toString();
  });
}

const isRequest =
  (method: string, callId: string) =>
  (m: SipMessage): m is SipRequest =>
    m.isRequest && (m as SipRequest).method === method && m.callId === callId;

test("a stranger's request with a Route pre-loaded to the node is refused (403), for a foreign target and for a foreign next Route", async (t) => {
  const s = await setup(t);
  const route = `<sip:${s.node};lr>`;
  for (const method of ['INVITE', 'MESSAGE', 'OPTIONS', 'NOTIFY', 'INFO']) {
    const response = await s.ask({ method, uri: s.victim, routes: [route] });
    assert.equal(response.status, 403, `${method} with Route to the node to a foreign target: ${response.status} ${response.reason}`);
    await s.assertListenerQuiet(`${method} with a pre-loaded Route`);
  }
  const listenerRoute = `<sip:${s.listener.address}:${s.listener.port};lr>`;
  for (const method of ['INVITE', 'MESSAGE']) {
    const response = await s.ask({ method, uri: `sip:bob@${DOMAIN}`, routes: [route, listenerRoute] });
    assert.equal(response.status, 403, `${method} to a local user with a foreign Route after ours: ${response.status} ${response.reason}`);
    await s.assertListenerQuiet(`${method} with a foreign second Route`);
  }
  assert.deepEqual(
    s.bob.requests.map((r) => r.method),
    [],
    'nor did bob get the requests that named a foreign next hop',
  );
});

test('a request with a To-tag for a dialog the node does not know gets 481 and is never relayed', async (t) => {
  const s = await setup(t);
  for (const routes of [[], [`<sip:${s.node};lr>`]]) {
    for (const method of ['INVITE', 'MESSAGE', 'BYE', 'NOTIFY', 'INFO']) {
      const response = await s.ask({ method, uri: s.victim, toTag: 'no-such-dialog', routes });
      assert.equal(
        response.status,
        481,
        `${method} with a To-tag${routes.length > 0 ? ' and a Route to the node' : ''}: ${response.status} ${response.reason}`,
      );
      await s.assertListenerQuiet(`${method} with a To-tag${routes.length > 0 ? ' and a Route' : ''}`);
    }
  }
  s.mallory.send(s.text({ method: 'ACK', uri: s.victim, toTag: 'no-such-dialog', routes: [`<sip:${s.node};lr>`] }), s.port);
  await s.assertListenerQuiet('ACK with a To-tag and a Route to the node');
});

test('a genuine record-routed dialog: ACK, MESSAGE and BYE go both ways along the route set', async (t) => {
  const s = await setup(t);
  const call = await recordRoutedCall(s);
  const routes = call.routeSet;
  s.mallory.send(
    s.text({ method: 'ACK', uri: call.bobUri, to: `sip:bob@${DOMAIN}`, callId: call.callId, fromTag: call.fromTag, toTag: call.toTag, routes }),
    s.port,
  );
  await s.bob.next(isRequest('ACK', call.callId));

  const message = s.ask({
    method: 'MESSAGE',
    uri: call.bobUri,
    to: `sip:bob@${DOMAIN}`,
    callId: call.callId,
    fromTag: call.fromTag,
    toTag: call.toTag,
    cseq: 2,
    routes,
  });
  const relayed = await s.bob.next(isRequest('MESSAGE', call.callId));
  const [via] = relayed.vias;
  s.bob.send(
    [
      `SIP/2.0 200 OK`,
      ...relayed.getAll('Via').map((v) => `Via: ${v}`),
      `From: ${relayed.get('From')}`,
      `To: ${relayed.get('To')}`,
      `Call-ID: ${call.callId}`,
      'CSeq: 2 MESSAGE',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
    via!.port!,
    via!.host,
  );
  assert.equal((await message).status, 200);

  // bob's BYE towards mallory: From/To swapped, the route set reversed (one entry per hop of ours).
  const bye = s.text(
    {
      method: 'BYE',
      uri: `sip:mallory@${s.mallory.address}:${s.mallory.port}`,
      from: `sip:bob@${DOMAIN}`,
      fromTag: call.toTag,
      to: 'sip:mallory@attacker.example',
      toTag: call.fromTag,
      callId: call.callId,
      cseq: 1,
      routes: [...routes].reverse(),
    },
    s.bob,
  );
  s.bob.send(bye, s.port);
  const byeIn = await s.mallory.next(isRequest('BYE', call.callId));
  assert.equal(byeIn.uri.toString(), `sip:mallory@${s.mallory.address}:${s.mallory.port}`);
  await s.assertListenerQuiet('the genuine dialog');
});

test('a forged or tampered Record-Route token, or a genuine one used for another dialog, gets 481 and is not relayed', async (t) => {
  const s = await setup(t);
  const call = await recordRoutedCall(s);
  const forged = tampered(call.routeSet);
  for (const method of ['INVITE', 'MESSAGE', 'BYE', 'NOTIFY']) {
    const other = await s.ask({ method, uri: s.victim, toTag: call.toTag, routes: call.routeSet });
    assert.equal(other.status, 481, `${method} with the genuine route set of another dialog: ${other.status} ${other.reason}`);
    const wrong = await s.ask({ method, uri: s.victim, callId: call.callId, fromTag: call.fromTag, toTag: call.toTag, cseq: 10, routes: forged });
    assert.equal(wrong.status, 481, `${method} with a tampered token: ${wrong.status} ${wrong.reason}`);
  }
  s.mallory.send(s.text({ method: 'ACK', uri: s.victim, toTag: call.toTag, routes: call.routeSet }), s.port);
  s.mallory.send(s.text({ method: 'ACK', uri: s.victim, callId: call.callId, fromTag: call.fromTag, toTag: call.toTag, routes: forged }), s.port);
  await s.assertListenerQuiet('requests carrying a token that is not theirs');
});

test('an authenticated local user, and a trusted source, may still use a pre-loaded Route to a foreign target', async (t) => {
  const s = await setup(t);
  const route = `<sip:${s.node};lr>`;
  const spec = {
    method: 'MESSAGE',
    uri: s.victim,
    from: `sip:alice@${DOMAIN}`,
    fromTag: 'alice1',
    callId: `auth-${randomBytes(4).toString('hex')}`,
    routes: [route],
  };
  const challenge = await s.ask(spec);
  assert.equal(challenge.status, 407);
  const params = challenge
    .getAll('Proxy-Authenticate')
    .map(parseDigestCredentials)
    .find((p) => p?.get('algorithm') === 'SHA-256')!;
  const realm = params.get('realm')!;
  const nonce = params.get('nonce')!;
  const response = digestResponse({
    algorithm: 'SHA-256',
    username: 'alice',
    realm,
    password: USERS.alice,
    method: 'MESSAGE',
    uri: s.victim,
    nonce,
    qop: 'auth',
    nc: '00000001',
    cnonce: 'feed',
  });
  const credentials = `Digest username="alice", realm="${realm}", nonce="${nonce}", uri="${s.victim}", response="${response}", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="feed"`;
  s.mallory.send(s.text({ ...spec, cseq: 2, extra: [`Proxy-Authorization: ${credentials}`] }), s.port);
  const relayed = await s.listener.next(isRequest('MESSAGE', spec.callId));
  assert.equal(relayed.uri.toString(), s.victim);

  configureDigestAuth({ trusted: ['127.0.0.5/32'] });
  t.after(() => configureDigestAuth({}));
  const gateway = await RelayPeer.open('127.0.0.5');
  t.after(() => gateway.close());
  const callId = `trusted-${randomBytes(4).toString('hex')}`;
  for (const method of ['MESSAGE', 'OPTIONS', 'INVITE']) {
    gateway.send(s.text({ method, uri: s.victim, callId, routes: [route] }, gateway), s.port);
    await s.listener.next(isRequest(method, callId));
  }
});

test('a response a stranger makes up with a Via of the node on top is not relayed to the Via below it', async (t) => {
  const s = await setup(t);
  for (const branch of ['z9hG4bKmadeup.x', 'z9hG4bKAAAAAAAAAAAAAAAA.1abc', 'z9hG4bKAAAAAAAAAAAAAAAA.1abc.AAAAAAAAAAA']) {
    const response = [
      'SIP/2.0 200 OK',
      `Via: SIP/2.0/UDP ${s.node};branch=${branch}`,
      `Via: SIP/2.0/UDP ${s.listener.address}:${s.listener.port};branch=z9hG4bKvictim`,
      'From: <sip:mallory@attacker.example>;tag=m1',
      'To: <sip:victim@attacker.example>;tag=v1',
      `Call-ID: reflect-${randomBytes(4).toString('hex')}`,
      'CSeq: 1 INVITE',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    s.mallory.send(response, s.port);
    await s.assertListenerQuiet(`a made-up response with branch ${branch}`);
  }
});
