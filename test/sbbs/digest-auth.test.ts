import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { digestResponse } from '../../sbbs/digest-auth/digest-response.js';
import { parseDigestCredentials } from '../../sbbs/digest-auth/parse-digest-credentials.js';
import { buildChallenges } from '../../sbbs/digest-auth/build-challenges.js';
import { verifyDigest } from '../../sbbs/digest-auth/verify-digest.js';
import { checkNonce, createNonce } from '../../sbbs/digest-auth/nonce.js';
import { TrustedSources } from '../../sbbs/digest-auth/trusted-sources.js';
import { SleetError } from '../../slee/errors/sleet-error.js';
import { ErrorCode } from '../../slee/errors/error-codes.js';

test('RFC 2617 §3.5 example: MD5 with qop=auth', () => {
  const response = digestResponse({
    algorithm: 'MD5', username: 'Mufasa', realm: 'testrealm@host.com', password: 'Circle Of Life', method: 'GET',
    uri: '/dir/index.html', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', qop: 'auth', nc: '00000001', cnonce: '0a4f113b',
  });
  assert.equal(response, '6629fae49393a05397450978507c4ef1');
});

test('RFC 7616 §3.9.1 example (the algorithms RFC 8760 brings to SIP): SHA-256 and MD5', () => {
  const input = {
    username: 'Mufasa', realm: 'http-auth@example.org', password: 'Circle of Life', method: 'GET', uri: '/dir/index.html',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', qop: 'auth' as const, nc: '00000001', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
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
  const params = parseDigestCredentials('Digest username="al\\"ice", realm="a, b", nonce="n", uri="sip:x", response="r", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="c"');
  assert.equal(params?.get('username'), 'al"ice');
  assert.equal(params?.get('realm'), 'a, b');
  assert.equal(params?.get('algorithm'), 'SHA-256');
  assert.equal(params?.get('nc'), '00000001');
  assert.equal(parseDigestCredentials('Basic YWxpY2U6c2VjcmV0'), undefined);
});

function authorization(algorithm: 'MD5' | 'SHA-256', password: string, nonce: string, realm = 'sleet.test'): string {
  const base = { algorithm, username: 'alice', realm, password, method: 'REGISTER', uri: 'sip:sleet.test', nonce, qop: 'auth' as const, nc: '00000001', cnonce: 'xyz' };
  return `Digest username="alice", realm="${realm}", nonce="${nonce}", uri="sip:sleet.test", response="${digestResponse(base)}", algorithm=${algorithm}, qop=auth, nc=00000001, cnonce="xyz"`;
}

const options = (headers: string[], now?: number) => ({
  headers, method: 'REGISTER', realm: 'sleet.test', nonceTtlMs: 300_000,
  passwordOf: (u: string) => (u === 'alice' ? 'wonderland' : undefined), ...(now === undefined ? {} : { now }),
});

test('verification accepts MD5 and SHA-256 responses with our nonce and refuses a wrong password', async () => {
  const nonce = createNonce();
  for (const algorithm of ['MD5', 'SHA-256'] as const) {
    assert.deepEqual(await verifyDigest(options([authorization(algorithm, 'wonderland', nonce)])), { result: 'ok', username: 'alice', algorithm });
    assert.deepEqual(await verifyDigest(options([authorization(algorithm, 'guess', nonce)])), { result: 'invalid', username: 'alice' });
  }
  assert.deepEqual(await verifyDigest(options([])), { result: 'missing' });
  assert.deepEqual(await verifyDigest(options([authorization('MD5', 'wonderland', nonce, 'elsewhere')])), { result: 'missing' }, 'credentials for another realm are not ours');
});

test('a nonce we did not issue is refused even with the right password', async () => {
  const forged = createNonce(Date.now(), randomBytes(32));
  assert.equal(checkNonce(forged, 300_000), 'invalid');
  assert.deepEqual(await verifyDigest(options([authorization('MD5', 'wonderland', forged)])), { result: 'invalid', username: 'alice' });
  assert.equal(checkNonce('not-a-nonce', 300_000), 'invalid');
});

test('an expired nonce with the right password is stale; with a wrong one it stays invalid', async () => {
  const issued = Date.now() - 600_000;
  const nonce = createNonce(issued);
  assert.equal(checkNonce(nonce, 300_000, issued + 299_000), 'fresh');
  assert.equal(checkNonce(nonce, 300_000), 'stale');
  assert.deepEqual(await verifyDigest(options([authorization('SHA-256', 'wonderland', nonce)])), { result: 'stale', username: 'alice' });
  assert.deepEqual(await verifyDigest(options([authorization('SHA-256', 'nope', nonce)])), { result: 'invalid', username: 'alice' });
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
    assert.throws(() => new TrustedSources([bad]), (err) => SleetError.is(err, ErrorCode.CONFIG_INVALID), bad);
  }
});
