import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Slee } from '../../../slee/container/slee.js';
import { FakeClock } from '../../../base/clock/fake-clock.js';
import { SipResourceAdaptor } from '../../../resource-adaptors/sip/ra/sip-resource-adaptor.js';
import { silentLogger } from '../../helpers/silent-logger.js';
import { freePort } from '../interop/sipp-runner.js';
import { exchange, request } from './udp-exchange.js';
import type { CallRecord } from '../../../resource-adaptors/sip/stack/call-record.js';
import type { SipObserver } from '../../../resource-adaptors/sip/ra/sip-observer.js';

const BUSY = { utilisation: 1, delayMs: 300, backlog: 0 };
const CALM = { utilisation: 0.2, delayMs: 1, backlog: 0 };

test('an overloaded node answers new requests with 503 and Retry-After, raises the overload alarm, and serves again once load falls', async (t) => {
  // A manual clock keeps the real load sampler quiet: the test sets the load itself.
  const slee = new Slee({ logger: silentLogger(), clock: new FakeClock(), overload: { retryAfterSeconds: 3, minRequestsPerSample: 0 } });
  const port = await freePort();
  await slee.createResourceAdaptorEntity('sip', new SipResourceAdaptor(), { host: '127.0.0.1', port, transports: 'udp' });
  await slee.activateResourceAdaptorEntity('sip');
  await slee.start();
  t.after(() => slee.stop());

  assert.match(await exchange(port, request('OPTIONS', 'sip:nobody@127.0.0.1')), /^SIP\/2\.0 200 /);
  for (let i = 0; i < 20; i++) slee.admission.update(BUSY);
  const refused = await exchange(port, request('OPTIONS', 'sip:nobody@127.0.0.1'));
  assert.match(refused, /^SIP\/2\.0 503 /);
  assert.match(refused, /\r\nRetry-After: 3\r\n/);
  assert.deepEqual(
    slee.kernel.alarms.list().map((a) => a.type),
    ['sleet.overload'],
  );

  for (let i = 0; i < 40; i++) slee.admission.update(CALM);
  assert.match(await exchange(port, request('OPTIONS', 'sip:nobody@127.0.0.1')), /^SIP\/2\.0 200 /);
  assert.deepEqual(slee.kernel.alarms.list(), []);
});

test('an INVITE refused by overload control is counted, not written as a call record: the refusal must stay cheap', async (t) => {
  const slee = new Slee({ logger: silentLogger(), clock: new FakeClock(), overload: { retryAfterSeconds: 3, minRequestsPerSample: 0 } });
  const records: CallRecord[] = [];
  const observer: SipObserver = { callEnded: (record) => records.push(record), registered: () => undefined, tracing: false, traced: () => undefined };
  const port = await freePort();
  const ra = new SipResourceAdaptor({ observer });
  await slee.createResourceAdaptorEntity('sip', ra, { host: '127.0.0.1', port, transports: 'udp' });
  await slee.activateResourceAdaptorEntity('sip');
  await slee.start();
  t.after(() => slee.stop());

  for (let i = 0; i < 20; i++) slee.admission.update(BUSY);
  assert.match(await exchange(port, request('INVITE', 'sip:nobody@127.0.0.1')), /^SIP\/2\.0 503 /);
  assert.equal(ra.stack.transactions.stats.shed, 1);
  for (let i = 0; i < 40; i++) slee.admission.update(CALM);
  assert.match(await exchange(port, request('INVITE', 'sip:nobody@127.0.0.1')), /^SIP\/2\.0 480 /, 'no service takes it');
  assert.deepEqual(
    records.map((r) => r.status),
    [480],
    'one record, for the call that was admitted',
  );
});

test("the SIP RA times its sockets' queue at each load sample, in the sample's own wake-up: a datagram held unread counts as overload", async (t) => {
  const slee = new Slee({ logger: silentLogger(), clock: new FakeClock(), overload: { minRequestsPerSample: 0, maxInputDelayMs: 50 } });
  const port = await freePort();
  await slee.createResourceAdaptorEntity('sip', new SipResourceAdaptor(), { host: '127.0.0.1', port, transports: 'udp' });
  await slee.activateResourceAdaptorEntity('sip');
  await slee.start();
  t.after(() => slee.stop());

  // Each sample sends a probe; the loop, held longer than the limit, reads none, so each next sample finds it waiting.
  slee.admission.update(CALM);
  for (let i = 0; i < 3; i++) {
    holdEventLoop(100);
    slee.admission.update(CALM);
  }
  assert.ok(slee.admission.rejectFraction > 0, 'the waits counted, though the event loop looked calm');
  assert.match(slee.kernel.alarms.list()[0]?.message ?? '', /input waited \d+ ms to be read/);
});

/** Keeps the event loop from reading anything, as a long burst of work does; on performance.now, the probe's clock. */
function holdEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}
