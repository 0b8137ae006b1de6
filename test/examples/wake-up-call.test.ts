import 'reflect-metadata';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Slee } from '../../slee/container/slee.js';
import { BullTimerBackend } from '../../slee/facilities/timer/bull-timer-backend.js';
import { SipResourceAdaptor } from '../../resource-adaptors/sip/ra/sip-resource-adaptor.js';
import { HttpResourceAdaptor } from '../../resource-adaptors/http/http-resource-adaptor.js';
import { registerRoutes } from '../../resource-adaptors/http/expose-routes.js';
import { WakeUpBookingSbb, WakeUpCallSbb, parseWakeUpTime, WAKE_UP_ROUTES } from '../../examples/wake-up-call/src/index.js';
import { freePort, runSipp, sippSkipReason } from '../sip/interop/sipp-runner.js';
import { REDIS_URL, inspectQueue, redisAvailable, removeQueue, uniqueQueueName } from '../timers/redis-for-tests.js';
import { silentLogger } from '../helpers/silent-logger.js';

/** A SLEE with the SIP and HTTP RAs and both wake-up services, stopped after the test; `bull` makes its timers durable. */
async function startWakeUpSlee(t: TestContext, bull?: { queueName: string }) {
  const backend = bull === undefined ? undefined : new BullTimerBackend({ redisUrl: REDIS_URL, queueName: bull.queueName });
  const slee = new Slee({ logger: silentLogger(), ...(backend === undefined ? {} : { timerBackend: backend }) });
  t.after(async () => {
    if (slee.state === 'RUNNING') await slee.stop();
  });
  const sip = new SipResourceAdaptor();
  const port = await freePort();
  await slee.createResourceAdaptorEntity('sip', sip, { host: '127.0.0.1', port, transports: 'udp' });
  slee.bindLinkName('sip', 'sip');
  await slee.activateResourceAdaptorEntity('sip');
  const http = new HttpResourceAdaptor();
  await slee.createResourceAdaptorEntity('http', http, { host: '127.0.0.1', port: 0 });
  slee.bindLinkName('http', 'http');
  await slee.activateResourceAdaptorEntity('http');
  registerRoutes(http.getSbbInterface(), WAKE_UP_ROUTES);
  await slee.start();
  for (const service of [WakeUpBookingSbb, WakeUpCallSbb]) slee.activateService(slee.installService(service));
  return { slee, backend, sipPort: port, base: `http://127.0.0.1:${http.address!.port}` };
}

async function book(base: string, body: unknown) {
  const res = await fetch(`${base}/wakeups`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** A SIPp UAS standing in for the subscriber's phone: answers one call and expects the BYE. */
async function subscriberPhone() {
  const port = await freePort();
  const answered = runSipp({ scenario: { builtin: 'uas' }, port, calls: 1 });
  await new Promise((r) => setTimeout(r, 300));
  return { uri: `sip:alice@127.0.0.1:${port}`, answered };
}

test('wake-up times: relative and clock forms in local time, tomorrow when already past, a helpful error otherwise', () => {
  const now = new Date(2026, 0, 15, 8, 30, 0);
  assert.deepEqual(parseWakeUpTime('wake me in 10 minutes', now), { at: now.getTime() + 600_000 });
  assert.deepEqual(parseWakeUpTime('In 30 seconds.', now), { at: now.getTime() + 30_000 });
  assert.deepEqual(parseWakeUpTime('wake me up in 2 hours', now), { at: now.getTime() + 7_200_000 });
  assert.deepEqual(parseWakeUpTime('wake me at 09:15', now), { at: new Date(2026, 0, 15, 9, 15).getTime() });
  assert.deepEqual(parseWakeUpTime('wake me at 07:00', now), { at: new Date(2026, 0, 16, 7, 0).getTime() });
  assert.deepEqual(parseWakeUpTime('at 7:30 pm', now), { at: new Date(2026, 0, 15, 19, 30).getTime() });
  assert.deepEqual(parseWakeUpTime('at 12 am', now), { at: new Date(2026, 0, 16, 0, 0).getTime() });
  const unreadable = parseWakeUpTime('wake me whenever', now);
  assert.ok('error' in unreadable);
  assert.match(unreadable.error, /cannot read a time in 'wake me whenever'; say 'wake me at HH:MM'/);
  assert.ok('error' in parseWakeUpTime('wake me at 25:00', now));
  assert.ok('error' in parseWakeUpTime('at 13 pm', now));
});

test('a SIP MESSAGE "wake me in 2 seconds" books a call that rings the subscriber, who answers and is hung up on', { skip: sippSkipReason() }, async (t) => {
  const { sipPort } = await startWakeUpSlee(t);
  const phone = await subscriberPhone();
  const booking = await runSipp({
    scenario: { file: 'wake-uac-booked.xml' },
    port: await freePort(),
    remote: `127.0.0.1:${sipPort}`,
    calls: 1,
    service: phone.uri.slice('sip:'.length),
  });
  assert.equal(booking.exitCode, 0, booking.errors);
  assert.equal(booking.successful, 1, 'the MESSAGE was answered 200');
  const call = await phone.answered;
  assert.equal(call.exitCode, 0, call.errors);
  assert.equal(call.successful, 1, 'the wake-up INVITE arrived, was answered, ACKed and hung up with BYE');
});

test('a MESSAGE the service cannot read gets 400 and books nothing', { skip: sippSkipReason() }, async (t) => {
  const { slee, sipPort } = await startWakeUpSlee(t);
  const run = await runSipp({
    scenario: { file: 'wake-uac-unreadable.xml' },
    port: await freePort(),
    remote: `127.0.0.1:${sipPort}`,
    calls: 1,
    service: 'alice@127.0.0.1:9',
  });
  assert.equal(run.exitCode, 0, run.errors);
  assert.equal(run.successful, 1, 'the MESSAGE was answered 400');
  await slee.idle();
  const nullActivities = [...slee.kernel.activities.keys()].filter((id) => id.startsWith('slee:null-activity/'));
  assert.deepEqual(nullActivities, [], 'no wake-up was booked (each booking holds a null activity)');
});

test('POST /wakeups books a call over HTTP; times in the past and unreadable ones are refused', { skip: sippSkipReason() }, async (t) => {
  const { base } = await startWakeUpSlee(t);
  assert.equal((await book(base, { who: 'sip:alice@127.0.0.1', at: Date.now() - 1000 })).status, 400);
  assert.equal((await book(base, { who: 'sip:alice@127.0.0.1', at: 'soonish' })).status, 400);
  const phone = await subscriberPhone();
  const at = Date.now() + 1500;
  const booked = await book(base, { who: phone.uri, at });
  assert.equal(booked.status, 201);
  assert.equal(booked.json['who'], phone.uri);
  assert.equal(booked.json['at'], new Date(at).toISOString());
  const call = await phone.answered;
  assert.equal(call.exitCode, 0, call.errors);
  assert.equal(call.successful, 1, 'the wake-up call was placed, answered and hung up');
});

test('with bull timers a wake-up booked before a SLEE restart rings after it', { skip: sippSkipReason() }, async (t) => {
  if (!(await redisAvailable(t))) return;
  const queueName = uniqueQueueName();
  const first = await startWakeUpSlee(t, { queueName });
  const recordsKey = first.backend!.recordsKey;
  t.after(() => removeQueue(queueName, recordsKey));
  const phone = await subscriberPhone();
  const booked = await book(first.base, { who: phone.uri, at: Date.now() + 2500 });
  assert.equal(booked.status, 201);
  await first.slee.stop();

  const queue = inspectQueue(queueName);
  try {
    assert.equal(await queue.client.hlen(recordsKey), 1, 'the booking outlived the SLEE in Redis');
  } finally {
    await queue.close();
  }
  await startWakeUpSlee(t, { queueName });
  const call = await phone.answered;
  assert.equal(call.exitCode, 0, call.errors);
  assert.equal(call.successful, 1, 'the restarted SLEE placed the wake-up call');
});
