import 'reflect-metadata';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { configureDigestAuth, type DigestAuthConfig } from '../../sbbs/digest-auth/digest-auth-settings.js';
import { parseDigestCredentials } from '../../sbbs/digest-auth/parse-digest-credentials.js';
import { digestResponse } from '../../sbbs/digest-auth/digest-response.js';
import { sbbNotificationSource } from '../../slee/facilities/notification-source.js';
import { FakeClock } from '../../base/clock/fake-clock.js';
import type { SipResponse } from '../../resource-adaptors/sip/message/index.js';
import { UdpSipClient } from './udp-sip-client.js';
import { DOMAIN, USERS, openSubscriberStore, startTelephonySlee } from './telephony-fixture.js';

const DIGEST_SOURCE = sbbNotificationSource(
  { name: 'DigestAuth', vendor: 'sleet', version: '1.0' },
  { name: 'DigestAuthSbb', vendor: 'sleet', version: '1.0' },
);
const alice = { user: 'alice', domain: DOMAIN, contacts: ['<sip:alice@127.0.0.1:5071>'] };

function configure(t: TestContext, config: DigestAuthConfig): void {
  configureDigestAuth(config);
  t.after(() => configureDigestAuth({}));
}

async function setup(t: TestContext) {
  const store = await openSubscriberStore(t);
  const node = await startTelephonySlee(t, store);
  const ua = await UdpSipClient.open(node.port);
  t.after(() => ua.close());
  return { ...node, ua };
}

function nonceOf(challenge: SipResponse, header = 'WWW-Authenticate'): string {
  const params = challenge
    .getAll(header)
    .map(parseDigestCredentials)
    .find((p) => p?.get('algorithm') === 'SHA-256');
  assert.ok(params, `a SHA-256 challenge in ${challenge.status}`);
  return params.get('nonce')!;
}

function authorization(o: { user: string; password: string; method: string; uri: string; nonce: string; nc?: string; cnonce?: string }): string {
  const nc = o.nc ?? '00000001';
  const cnonce = o.cnonce ?? 'c0ffee';
  const response = digestResponse({
    algorithm: 'SHA-256',
    username: o.user,
    realm: DOMAIN,
    password: o.password,
    method: o.method,
    uri: o.uri,
    nonce: o.nonce,
    qop: 'auth',
    nc,
    cnonce,
  });
  return `Digest username="${o.user}", realm="${DOMAIN}", nonce="${o.nonce}", uri="${o.uri}", response="${response}", algorithm=SHA-256, qop=auth, nc=${nc}, cnonce="${cnonce}"`;
}

/** A fresh nonce from a REGISTER challenge, and the Authorization answering it. */
async function registerAuthorization(ua: UdpSipClient, password: string, cseq: number, user = 'alice') {
  const challenge = await ua.send(ua.registerText({ ...alice, user }, cseq, []));
  assert.equal(challenge.status, 401);
  return authorization({ user, password, method: 'REGISTER', uri: `sip:${DOMAIN}`, nonce: nonceOf(challenge) });
}

test('the same Authorization replayed with the same Call-ID is refused with a fresh, non-stale challenge', async (t) => {
  const { ua } = await setup(t);
  const auth = await registerAuthorization(ua, USERS.alice, 1);
  assert.equal((await ua.send(ua.registerText(alice, 2, [`Authorization: ${auth}`]))).status, 200);
  for (const cseq of [3, 4, 5]) {
    const replay = await ua.send(ua.registerText(alice, cseq, [`Authorization: ${auth}`]));
    assert.equal(replay.status, 401, `replay with CSeq ${cseq} must be challenged, got ${replay.status}`);
    assert.doesNotMatch(replay.get('WWW-Authenticate') ?? '', /stale=true/, 'a replayed nc is not stale');
  }
  const next = authorization({
    user: 'alice',
    password: USERS.alice,
    method: 'REGISTER',
    uri: `sip:${DOMAIN}`,
    nonce: nonceOf(await ua.send(ua.registerText(alice, 6, []))),
    nc: '00000001',
  });
  assert.equal((await ua.send(ua.registerText(alice, 7, [`Authorization: ${next}`]))).status, 200, 'a new nonce still works');
});

test('the same Authorization replayed with new Call-IDs is refused; a higher nc on the same nonce is accepted', async (t) => {
  const { ua } = await setup(t);
  const challenge = await ua.send(ua.registerText(alice, 1, []));
  const nonce = nonceOf(challenge);
  const auth = authorization({ user: 'alice', password: USERS.alice, method: 'REGISTER', uri: `sip:${DOMAIN}`, nonce });
  assert.equal((await ua.send(ua.registerText(alice, 2, [`Authorization: ${auth}`]))).status, 200);
  for (let i = 0; i < 3; i++) {
    const replay = await ua.send(ua.registerText({ ...alice, callId: randomBytes(6).toString('hex') }, 1, [`Authorization: ${auth}`]));
    assert.equal(replay.status, 401, `replay ${i + 1} with a new Call-ID must be challenged, got ${replay.status}`);
  }
  const second = authorization({ user: 'alice', password: USERS.alice, method: 'REGISTER', uri: `sip:${DOMAIN}`, nonce, nc: '00000002', cnonce: 'beef' });
  assert.equal((await ua.send(ua.registerText(alice, 3, [`Authorization: ${second}`]))).status, 200, 'nc 2 on the same nonce is a new request');
});

function inviteText(ua: UdpSipClient, proxyAuthorization: string | undefined): string {
  const lines = [
    `INVITE sip:bob@${DOMAIN} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${ua.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
    `From: <sip:alice@${DOMAIN}>;tag=${randomBytes(4).toString('hex')}`,
    `To: <sip:bob@${DOMAIN}>`,
    `Call-ID: ${randomBytes(8).toString('hex')}`,
    'CSeq: 1 INVITE',
    'Max-Forwards: 70',
    `Contact: <sip:alice@127.0.0.1:${ua.port}>`,
    ...(proxyAuthorization === undefined ? [] : [`Proxy-Authorization: ${proxyAuthorization}`]),
    'Content-Length: 0',
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

test('a replayed Proxy-Authorization on INVITE is challenged again', async (t) => {
  const { ua } = await setup(t);
  const challenge = await ua.send(inviteText(ua, undefined));
  assert.equal(challenge.status, 407);
  const auth = authorization({
    user: 'alice',
    password: USERS.alice,
    method: 'INVITE',
    uri: `sip:bob@${DOMAIN}`,
    nonce: nonceOf(challenge, 'Proxy-Authenticate'),
  });
  const first = await ua.send(inviteText(ua, auth));
  assert.equal(first.status, 480, 'authenticated, routed, bob is not registered');
  const replay = await ua.send(inviteText(ua, auth));
  assert.equal(replay.status, 407, `the replayed Proxy-Authorization must be challenged, got ${replay.status}`);
});

test('an expired nonce with the right password gets stale=true; an unknown but validly signed one too', async (t) => {
  const clock = new FakeClock(Date.now());
  configure(t, { clock, nonceTtlMs: 60_000 });
  const { ua } = await setup(t);
  const auth = await registerAuthorization(ua, USERS.alice, 1);
  clock.advance(61_000);
  const expired = await ua.send(ua.registerText(alice, 2, [`Authorization: ${auth}`]));
  assert.equal(expired.status, 401);
  assert.match(expired.get('WWW-Authenticate') ?? '', /stale=true/, 'an expired nonce with a valid digest is stale');
  const wrong = authorization({ user: 'alice', password: 'guess', method: 'REGISTER', uri: `sip:${DOMAIN}`, nonce: nonceOf(expired) });
  clock.advance(61_000);
  const wrongExpired = await ua.send(ua.registerText(alice, 3, [`Authorization: ${wrong}`]));
  assert.doesNotMatch(wrongExpired.get('WWW-Authenticate') ?? '', /stale=true/, 'no stale=true without a valid digest');

  // A node restarted on the same data directory (or another node of the cluster) shares the secret, not the nonce table.
  const secret = randomBytes(32);
  configureDigestAuth({ clock, secret });
  const issuedBefore = await registerAuthorization(ua, USERS.alice, 4);
  configureDigestAuth({ clock, secret });
  const unknown = await ua.send(ua.registerText(alice, 5, [`Authorization: ${issuedBefore}`]));
  assert.equal(unknown.status, 401, 'a nonce this node has no record of is not accepted');
  assert.match(unknown.get('WWW-Authenticate') ?? '', /stale=true/, 'but it is validly signed and the digest is right: stale');
});

test('25 wrong passwords lock the user out with an alarm and a counter; the lockout ends', async (t) => {
  const clock = new FakeClock(Date.now());
  configure(t, { clock, maxFailuresPerUser: 5, maxFailuresPerSource: 100, failureWindowMs: 600_000, lockoutMs: 900_000 });
  const { slee, ua } = await setup(t);
  const statuses: number[] = [];
  let cseq = 1;
  for (let i = 0; i < 25; i++) {
    const challenge = await ua.send(ua.registerText(alice, cseq++, []));
    if (challenge.status !== 401) {
      statuses.push(challenge.status);
      continue;
    }
    const wrong = authorization({ user: 'alice', password: `guess-${i}`, method: 'REGISTER', uri: `sip:${DOMAIN}`, nonce: nonceOf(challenge) });
    statuses.push((await ua.send(ua.registerText(alice, cseq++, [`Authorization: ${wrong}`]))).status);
  }
  assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
  assert.ok(
    statuses.slice(5).every((s) => s === 403),
    `after 5 failures every attempt is refused: ${statuses.join(',')}`,
  );
  const right = await ua.register({ ...alice, password: USERS.alice }, cseq++);
  assert.equal(right.status, 403, 'even the right password is refused while locked');
  assert.match(right.reason, /too many failed/i);
  const alarms = slee.kernel.alarms.list(DIGEST_SOURCE);
  assert.deepEqual(
    alarms.map((a) => [a.type, a.instanceId]),
    [['sleet.digest-auth.lockout', 'user:alice']],
  );
  const counters = slee.kernel.usage.find(DIGEST_SOURCE)?.snapshot().counters ?? {};
  assert.equal(counters['failures'], 5);
  assert.equal(counters['lockouts'], 1);
  assert.ok((counters['refusedLocked'] ?? 0) >= 20);

  clock.advance(900_001);
  assert.deepEqual(slee.kernel.alarms.list(DIGEST_SOURCE), [], 'the alarm clears when the lockout ends');
  assert.equal((await ua.register({ ...alice, password: USERS.alice }, cseq++)).status, 200, 'the right password works once the lockout ended');
});

test('failures from one source across many usernames lock that source out, for every user', async (t) => {
  const clock = new FakeClock(Date.now());
  configure(t, { clock, maxFailuresPerUser: 100, maxFailuresPerSource: 8, failureWindowMs: 600_000, lockoutMs: 60_000 });
  const { slee, ua } = await setup(t);
  for (let i = 0; i < 8; i++) {
    const user = `nobody${i}`;
    const challenge = await ua.send(ua.registerText({ ...alice, user }, i * 2 + 1, []));
    const wrong = authorization({ user, password: 'x', method: 'REGISTER', uri: `sip:${DOMAIN}`, nonce: nonceOf(challenge) });
    assert.equal((await ua.send(ua.registerText({ ...alice, user }, i * 2 + 2, [`Authorization: ${wrong}`]))).status, 401);
  }
  const bob = await ua.register({ user: 'bob', domain: DOMAIN, password: USERS.bob, contacts: ['<sip:bob@127.0.0.1:5072>'] }, 100);
  assert.equal(bob.status, 403, 'the locked source is refused whoever it claims to be');
  assert.deepEqual(
    slee.kernel.alarms.list(DIGEST_SOURCE).map((a) => a.instanceId),
    ['source:127.0.0.1'],
  );
  clock.advance(60_001);
  assert.equal((await ua.register({ user: 'bob', domain: DOMAIN, password: USERS.bob, contacts: ['<sip:bob@127.0.0.1:5072>'] }, 102)).status, 200);
});
