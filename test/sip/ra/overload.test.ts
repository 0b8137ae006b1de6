import 'reflect-metadata';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Slee, type SleeOptions } from '../../../slee/container/slee.js';
import { holdEventLoop } from '../../helpers/hold-event-loop.js';
import { FakeClock } from '../../../base/clock/fake-clock.js';
import { SipResourceAdaptor } from '../../../resource-adaptors/sip/ra/sip-resource-adaptor.js';
import { silentLogger } from '../../helpers/silent-logger.js';
import { freePort } from '../interop/sipp-runner.js';
import { exchange, request } from './udp-exchange.js';
import type { CallRecord } from '../../../resource-adaptors/sip/stack/call-record.js';
import type { SipObserver } from '../../../resource-adaptors/sip/ra/sip-observer.js';

const BUSY = { utilisation: 1, delayMs: 300, backlog: 0 };
const CALM = { utilisation: 0.2, delayMs: 1, backlog: 0 };

/** A SLEE on a manual clock, which keeps its real load sampler quiet (each test sets the load itself), with the SIP RA on a UDP port of its own. */
async function sleeWithSip(t: TestContext, overload: SleeOptions['overload'], ra = new SipResourceAdaptor()): Promise<{ slee: Slee; port: number }> {
  const slee = new Slee({ logger: silentLogger(), clock: new FakeClock(), overload });
  const port = await freePort();
  await slee.createResourceAdaptorEntity('sip', ra, { host: '127.0.0.1', port, transports: 'udp' });
  await slee.activateResourceAdaptorEntity('sip');
  await slee.start();
  t.after(() => slee.stop());
  return { slee, port };
}

test('an overloaded node answers new requests with 503 and Retry-After, raises the overload alarm, and serves again once load falls', async (t) => {
  const { slee, port } = await sleeWithSip(t, { retryAfterSeconds: 3, minRequestsPerSample: 0 });

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
  const records: CallRecord[] = [];
  const observer: SipObserver = { callEnded: (record) => records.push(record), registered: () => undefined, tracing: false, traced: () => undefined };
  const ra = new SipResourceAdaptor({ observer });
  const { slee, port } = await sleeWithSip(t, { retryAfterSeconds: 3, minRequestsPerSample: 0 }, ra);

  for (let i = 0; i < 20; i++) slee.admission.update(BUSY);
  assert.match(await exchange(port, request('INVITE', 'sip:nobody@127.0.0.1')), /^SIP\/2\.0 503 /);
  assert.equal(ra.stack.overloadStats.shed, 1);
  for (let i = 0; i < 40; i++) slee.admission.update(CALM);
  assert.match(await exchange(port, request('INVITE', 'sip:nobody@127.0.0.1')), /^SIP\/2\.0 480 /, 'no service takes it');
  assert.deepEqual(
    records.map((r) => r.status),
    [480],
    'one record, for the call that was admitted',
  );
});

test('while a message trace is on, a shed INVITE is parsed and traced; off, it is refused unparsed', async (t) => {
  const traced: string[] = [];
  const observer: SipObserver = {
    callEnded: () => undefined,
    registered: () => undefined,
    tracing: true,
    traced: (wire) => {
      if (wire.direction === 'in') traced.push(wire.message?.isRequest === true ? (wire.message as { method: string }).method : 'response');
    },
  };
  const ra = new SipResourceAdaptor({ observer });
  const { slee, port } = await sleeWithSip(t, { retryAfterSeconds: 3, minRequestsPerSample: 0 }, ra);
  for (let i = 0; i < 20; i++) slee.admission.update(BUSY);

  assert.match(await exchange(port, request('INVITE', 'sip:nobody@127.0.0.1')), /^SIP\/2\.0 503 /);
  assert.deepEqual(traced, ['INVITE'], 'the trace shows the refused INVITE');
  assert.equal(ra.stack.overloadStats.shedUnparsed, 0);

  (observer as { tracing: boolean }).tracing = false;
  assert.match(await exchange(port, request('INVITE', 'sip:nobody@127.0.0.1')), /^SIP\/2\.0 503 /);
  assert.deepEqual(traced, ['INVITE']);
  assert.deepEqual([ra.stack.overloadStats.shed, ra.stack.overloadStats.shedUnparsed], [2, 1]);
});

test("the SIP RA times its sockets' queue at each load sample, in the sample's own wake-up: a datagram held unread counts as overload", async (t) => {
  const { slee } = await sleeWithSip(t, { minRequestsPerSample: 0, maxInputDelayMs: 50 });

  // Each sample sends a probe; the loop, held longer than the limit, reads none, so each next sample finds it waiting.
  slee.admission.update(CALM);
  for (let i = 0; i < 3; i++) {
    holdEventLoop(100);
    slee.admission.update(CALM);
  }
  assert.ok(slee.admission.rejectFraction > 0, 'the waits counted, though the event loop looked calm');
  assert.match(slee.kernel.alarms.list()[0]?.message ?? '', /input waited \d+ ms to be read/);
});
