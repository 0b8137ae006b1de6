import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SleetError } from '../../../slee/errors/sleet-error.js';
import { ErrorCode } from '../../../slee/errors/error-codes.js';
import { startSipSlee } from './sip-ra-fixture.js';

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
