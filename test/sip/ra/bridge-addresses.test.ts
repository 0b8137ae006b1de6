import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { startSipSlee } from './sip-ra-fixture.js';
import { sipPartySchema, sipUriProblem, sipUriSchema } from '../../../resource-adaptors/sip/ra/sip-uri-schema.js';

test('bridge() refuses an address that is no SIP URI at once, in the caller, and starts nothing', async (t) => {
  const { slee, ra } = await startSipSlee(t, { port: 0 });
  const sip = ra.getSbbInterface();
  const started = slee.kernel.stats.activitiesStarted;
  for (const [a, b, from] of [
    ['sip:[', 'sip:b@127.0.0.1', undefined],
    ['sip:a@127.0.0.1', 'sips:[::1', undefined],
    ['sip:a@127.0.0.1', 'sip:b@127.0.0.1', 'sip:@host'],
    ['tel:+15551234', 'sip:b@127.0.0.1', undefined],
  ] as const) {
    assert.throws(
      () => sip.bridge(a, b, from),
      (err) => SleetError.is(err, ErrorCode.SIP_PARSE) && /cannot bridge: (a|b|from) ".*" is not a SIP URI/.test(err.message),
      `bridge(${a}, ${b}, ${from})`,
    );
  }
  await new Promise((r) => setImmediate(r));
  assert.equal(slee.kernel.stats.activitiesStarted, started, 'no bridged-call activity was started');
});

test('sipUriSchema and sipPartySchema read addresses with the stack parser: sip or sips, a host, bounded length; a party may be a bare user name', () => {
  for (const ok of ['sip:bob@127.0.0.1', 'sips:bob@example.com:5061;transport=tcp', ' SIP:alice@[::1]:5060 '])
    assert.ok(sipUriSchema.safeParse(ok).success, ok);
  for (const bad of ['sip:[', 'sip:', 'tel:+15551234', 'mailto:bob@example.com', 'bob', `sip:${'a'.repeat(1100)}@h`, 42, null]) {
    const result = sipUriSchema.safeParse(bad);
    assert.equal(result.success, false, String(bad));
  }
  assert.match(sipUriSchema.safeParse('sip:[').error!.issues[0]!.message, /^not a SIP URI: malformed URI host/);
  assert.equal(sipPartySchema.parse(' alice '), 'alice');
  for (const bad of ['alice smith', '', 'sip:[', 'alice@host']) assert.equal(sipPartySchema.safeParse(bad).success, false, bad);
  assert.equal(sipUriProblem('sip:bob@127.0.0.1'), null);
  assert.match(sipUriProblem('tel:1') ?? '', /scheme 'tel' is not sip or sips/);
});
