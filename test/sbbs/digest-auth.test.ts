import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BlockList } from 'node:net';
import { digestHa1, digestResponse } from '../../sbbs/digest-auth/digest-response.js';
import { parseDigestCredentials } from '../../sbbs/digest-auth/parse-digest-credentials.js';
import { buildChallenges } from '../../sbbs/digest-auth/build-challenges.js';
import { verifyDigest } from '../../sbbs/digest-auth/verify-digest.js';
import { NonceBook } from '../../sbbs/digest-auth/nonce-book.js';
import { AuthFailureGuard, type GuardKey } from '../../sbbs/digest-auth/auth-failure-guard.js';
import { FakeClock } from '../../base/clock/fake-clock.js';
import { checkNonce, createNonce } from '../../sbbs/digest-auth/nonce.js';
import { TrustedSources } from '../../sbbs/digest-auth/trusted-sources.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';

test('RFC 2617 §3.5 example: MD5 with qop=auth', () => {
  const response = digestResponse({
    algorithm: 'MD5',
    username: 'Mufasa',
    realm: 'testrealm@host.com',
    password: 'Circle Of Life',
    method: 'GET',
    uri: '/dir/index.html',
    nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
    qop: 'auth',
    nc: '00000001',
    cnonce: '0a4f113b',
  });
  assert.equal(response, '6629fae49393a05397450978507c4ef1');
});

test('RFC 7616 §3.9.1 example (the algorithms RFC 8760 brings to SIP): SHA-256 and MD5', () => {
  const input = {
    username: 'Mufasa',
    realm: 'http-auth@example.org',
    password: 'Circle of Life',
    method: 'GET',
    uri: '/dir/index.html',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    qop: 'auth' as const,
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };
  assert.equal(digestResponse({ ...input, algorithm: 'SHA-256' }), '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  assert.equal(digestResponse({ ...input, algorithm: 'MD5' }), '8ca523f5e9506fed4657c9700eebdbec');
});

test('challenges: one per algorithm, SHA-256 first, qop auth, stale only when asked', () => {
  const [sha, md5, ...rest] = buildChallenges({ realm: 'sleet.test', nonce: 'abc' });
  assert.equal(rest.length, 0);
  assert.equal(sha, 'Digest realm="sleet.test", nonce="abc", algorithm=SHA-256, qop="auth"');
  assert.equal(md5, 'Digest realm="sleet.test", nonce="abc", algorithm=MD5, qop="auth"');
  assert.match(buildChallenges({ realm: 'r', nonce: 'n', stale: true, algorithms: ['MD5'] })[0]!, /algorithm=MD5, qop="auth", stale=true$/);
});

test('credentials parse with quoted commas, escapes and unquoted tokens', () => {
  const params = parseDigestCredentials(
    'Digest username="al\\"ice", realm="a, b", nonce="n", uri="sip:x", response="r", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="c"',
  );
  assert.equal(params?.get('username'), 'al"ice');
  assert.equal(params?.get('realm'), 'a, b');
  assert.equal(params?.get('algorithm'), 'SHA-256');
  assert.equal(params?.get('nc'), '00000001');
  assert.equal(parseDigestCredentials('Basic YWxpY2U6c2VjcmV0'), undefined);
});

function authorization(algorithm: 'MD5' | 'SHA-256', password: string, nonce: string, realm = 'sleet.test'): string {
  const base = {
    algorithm,
    username: 'alice',
    realm,
    password,
    method: 'REGISTER',
    uri: 'sip:sleet.test',
    nonce,
    qop: 'auth' as const,
    nc: '00000001',
    cnonce: 'xyz',
  };
  return `Digest username="alice", realm="${realm}", nonce="${nonce}", uri="sip:sleet.test", response="${digestResponse(base)}", algorithm=${algorithm}, qop=auth, nc=00000001, cnonce="xyz"`;
}

const SECRET = randomBytes(32);
const HA1 = (algorithm: 'MD5' | 'SHA-256', password: string) => digestHa1(algorithm, 'alice', 'sleet.test', password);

/** A nonce book on a manual clock, and verify options over it for the user alice/wonderland. */
function verifier(clock = new FakeClock(Date.now())) {
  const nonces = new NonceBook({ secret: SECRET, ttlMs: 300_000, capacity: 100, now: () => clock.now() });
  const options = (headers: string[]) => ({
    headers,
    method: 'REGISTER',
    realm: 'sleet.test',
    nonces,
    credentialsOf: (u: string) =>
      u === 'alice' ? { realm: 'sleet.test', ha1: { MD5: HA1('MD5', 'wonderland'), 'SHA-256': HA1('SHA-256', 'wonderland') } } : undefined,
  });
  return { clock, nonces, options };
}

test('verification accepts MD5 and SHA-256 responses with our nonce and refuses a wrong password', async () => {
  const { nonces, options } = verifier();
  for (const algorithm of ['MD5', 'SHA-256'] as const) {
    assert.deepEqual(await verifyDigest(options([authorization(algorithm, 'wonderland', nonces.issue())])), { result: 'ok', username: 'alice', algorithm });
    assert.deepEqual(await verifyDigest(options([authorization(algorithm, 'guess', nonces.issue())])), { result: 'invalid', username: 'alice' });
  }
  assert.deepEqual(await verifyDigest(options([])), { result: 'missing' });
  assert.deepEqual(
    await verifyDigest(options([authorization('MD5', 'wonderland', nonces.issue(), 'elsewhere')])),
    { result: 'missing' },
    'credentials for another realm are not ours',
  );
});

test('a nonce we did not issue is refused even with the right password', async () => {
  const { options } = verifier();
  const forged = createNonce(Date.now(), randomBytes(32));
  assert.equal(checkNonce(forged, 300_000, Date.now(), SECRET), 'invalid');
  assert.deepEqual(await verifyDigest(options([authorization('MD5', 'wonderland', forged)])), { result: 'invalid', username: 'alice' });
  assert.equal(checkNonce('not-a-nonce', 300_000), 'invalid');
});

test('an expired nonce with the right password is stale; with a wrong one it stays invalid', async () => {
  const { clock, nonces, options } = verifier();
  const issued = clock.now();
  const nonce = nonces.issue();
  assert.equal(checkNonce(nonce, 300_000, issued + 299_000, SECRET), 'fresh');
  clock.advance(600_000);
  assert.equal(nonces.check(nonce), 'stale');
  assert.deepEqual(await verifyDigest(options([authorization('SHA-256', 'wonderland', nonce)])), { result: 'stale', username: 'alice' });
  assert.deepEqual(await verifyDigest(options([authorization('SHA-256', 'nope', nonce)])), { result: 'invalid', username: 'alice' });
});

test('each nonce count is good once; late counts within the window are accepted once; HA1s of another realm do not verify', async () => {
  const { nonces, options } = verifier();
  const nonce = nonces.issue();
  assert.equal(nonces.use(nonce, 5), true);
  assert.equal(nonces.use(nonce, 5), false, 'the same nc again');
  assert.equal(nonces.use(nonce, 3), true, 'a late nc below the highest');
  assert.equal(nonces.use(nonce, 3), false);
  assert.equal(nonces.use(nonce, 200), true);
  assert.equal(nonces.use(nonce, 100), false, 'too far behind the highest to tell');
  assert.equal(nonces.use(createNonce(Date.now(), SECRET), 1), false, 'a nonce this book did not issue');
  const other = verifier();
  const elsewhere = {
    ...other.options([authorization('MD5', 'wonderland', other.nonces.issue())]),
    credentialsOf: () => ({ realm: 'old.example', ha1: { MD5: HA1('MD5', 'wonderland') } }),
  };
  assert.deepEqual(await verifyDigest(elsewhere), { result: 'invalid', username: 'alice', realmMismatch: 'old.example' });
  void options;
});

test('the nonce book forgets the oldest nonce beyond its capacity, and expired ones', () => {
  const clock = new FakeClock(Date.now());
  const nonces = new NonceBook({ secret: SECRET, ttlMs: 1_000, capacity: 3, now: () => clock.now() });
  const issued = [nonces.issue(), nonces.issue(), nonces.issue(), nonces.issue()];
  assert.equal(nonces.size, 3);
  assert.equal(nonces.check(issued[0]!), 'unknown', 'evicted but validly signed');
  assert.equal(nonces.check(issued[3]!), 'fresh');
  clock.advance(1_001);
  nonces.issue();
  assert.equal(nonces.size, 1, 'expired entries go when a new nonce is issued');
});

test('the failure guard locks a key at its limit, counts per window, and unlocks on the clock', () => {
  const clock = new FakeClock(0);
  const guard = new AuthFailureGuard({ maxFailuresPerUser: 3, maxFailuresPerSource: 0, failureWindowMs: 1_000, lockoutMs: 5_000, maxTracked: 2 }, clock);
  const unlocked: string[] = [];
  const fail = (key: GuardKey) => guard.fail([key], (k) => unlocked.push(k));
  assert.deepEqual([fail('user:a'), fail('user:a')], [[], []]);
  clock.advance(1_001);
  assert.deepEqual(fail('user:a'), [], 'the window restarted');
  assert.deepEqual([fail('user:a'), fail('user:a')], [[], ['user:a']]);
  assert.equal(guard.lockedUntil(['source:x', 'user:a']), 6_001);
  assert.deepEqual(fail('source:x'), [], 'a limit of 0 disables source lockouts');
  clock.advance(5_000);
  assert.deepEqual(unlocked, ['user:a']);
  assert.equal(guard.lockedUntil(['user:a']), undefined);
});

test('a trusted-source verdict is remembered per address, and what is remembered is bounded', (t) => {
  const check = t.mock.method(BlockList.prototype, 'check');
  const trusted = new TrustedSources(['10.0.0.0/8']);
  assert.equal(trusted.contains('10.0.0.1'), true);
  assert.equal(trusted.contains('11.0.0.1'), false);
  assert.equal(check.mock.callCount(), 2);
  assert.equal(trusted.contains('10.0.0.1'), true);
  assert.equal(trusted.contains('11.0.0.1'), false);
  assert.equal(check.mock.callCount(), 2, 'a UA sends its requests from one address: its verdict is read, not checked again');
  for (let i = 0; i < TrustedSources.REMEMBERED; i++) trusted.contains(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
  check.mock.resetCalls();
  assert.equal(trusted.contains('11.0.0.1'), false);
  assert.equal(check.mock.callCount(), 1, 'past the bound, older verdicts are forgotten and checked again');
});

test('trusted CIDRs match IPv4, IPv6 and IPv4-mapped addresses; bad CIDRs are refused', () => {
  const trusted = new TrustedSources(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32']);
  assert.equal(trusted.contains('10.200.3.4'), true);
  assert.equal(trusted.contains('11.0.0.1'), false);
  assert.equal(trusted.contains('192.168.1.7'), true);
  assert.equal(trusted.contains('192.168.1.8'), false);
  assert.equal(trusted.contains('2001:db8:1::5'), true);
  assert.equal(trusted.contains('2001:db9::5'), false);
  assert.equal(trusted.contains('::ffff:10.1.1.1'), true);
  assert.equal(trusted.contains('not-an-ip'), false);
  assert.equal(new TrustedSources([]).contains('127.0.0.1'), false);
  for (const bad of ['10.0.0.0/33', 'example.com/8', '::1/129', '10.0.0.0/x']) {
    assert.throws(
      () => new TrustedSources([bad]),
      (err) => SleetError.is(err, ErrorCode.CONFIG_INVALID),
      bad,
    );
  }
});
