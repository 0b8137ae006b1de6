import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoNode } from './demo-node.js';
import { rawHttp, requestBytes, type RawRequest } from '../http/raw-http.js';
import { TimerEventType, type TimerEvent } from '../../slee/facilities/timer/timer-event.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const BAD_SIP_URIS = [
  'sip:[',
  'sip:',
  'sips:[::1',
  'sip:bob@[::1',
  'sip:bob@host:99999',
  'sip:@host',
  'sip:b%zzob@host',
  'sip:bob@ho%st',
  'tel:+15551234',
  'sip:bob@host;=x',
  `sip:${'a'.repeat(5000)}@127.0.0.1`,
  'bob smith',
  '',
];
const json = (target: string, body: unknown, method = 'POST'): RawRequest => ({ method, target, headers: JSON_TYPE, body: JSON.stringify(body) });

/** Malformed input for every route of the demo node (click-to-dial and wake-up-call), with the status it must get. */
function malformedRequests(): Array<{ what: string; request: RawRequest; status: number }> {
  const cases: Array<{ what: string; request: RawRequest; status: number }> = [];
  const bodyRoutes = [
    { target: '/calls', valid: { from: 'alice', to: 'bob' }, uriFields: ['from', 'to'] },
    { target: '/wakeups', valid: { who: 'alice', at: Date.now() + 3_600_000 }, uriFields: ['who'] },
  ];
  for (const { target, valid, uriFields } of bodyRoutes) {
    cases.push(
      { what: `${target}: bad JSON`, request: { method: 'POST', target, headers: JSON_TYPE, body: '{"from": "alice",' }, status: 400 },
      { what: `${target}: JSON null`, request: json(target, null), status: 400 },
      { what: `${target}: JSON array`, request: json(target, [valid]), status: 400 },
      { what: `${target}: missing fields`, request: json(target, {}), status: 400 },
      { what: `${target}: empty body`, request: { method: 'POST', target, headers: JSON_TYPE }, status: 400 },
      { what: `${target}: wrong types`, request: json(target, Object.fromEntries(Object.keys(valid).map((k) => [k, [{ k }]]))), status: 400 },
      {
        what: `${target}: text/plain`,
        request: { method: 'POST', target, headers: { 'content-type': 'text/plain' }, body: JSON.stringify(valid) },
        status: 415,
      },
      { what: `${target}: no content-type`, request: { method: 'POST', target, body: JSON.stringify(valid) }, status: 415 },
      {
        what: `${target}: form content-type`,
        request: { method: 'POST', target, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'from=alice&to=bob' },
        status: 415,
      },
      {
        what: `${target}: 2 MB body`,
        request: { method: 'POST', target, headers: JSON_TYPE, body: JSON.stringify({ ...valid, pad: 'x'.repeat(2 * 1024 * 1024) }) },
        status: 413,
      },
      {
        what: `${target}: a content-length larger than allowed`,
        request: { method: 'POST', target, headers: { ...JSON_TYPE, 'content-length': String(50 * 1024 * 1024) }, body: '{}' },
        status: 413,
      },
      {
        what: `${target}: deeply nested JSON`,
        request: { method: 'POST', target, headers: JSON_TYPE, body: `${'['.repeat(5000)}${']'.repeat(5000)}` },
        status: 400,
      },
    );
    for (const field of uriFields) {
      for (const uri of BAD_SIP_URIS)
        cases.push({ what: `${target}: ${field} ${JSON.stringify(uri.slice(0, 40))}`, request: json(target, { ...valid, [field]: uri }), status: 400 });
    }
  }
  cases.push(
    { what: '/calls: a webhook that is no http URL', request: json('/calls', { from: 'alice', to: 'bob', webhook: 'javascript:alert(1)' }), status: 400 },
    { what: '/wakeups: at unreadable (refused by the SBB)', request: json('/wakeups', { who: 'alice', at: 'when pigs fly' }), status: 400 },
    { what: '/wakeups: at in the past (refused by the SBB)', request: json('/wakeups', { who: 'alice', at: 1 }), status: 400 },
    { what: 'GET /calls/:id with a malformed %-escape', request: { method: 'GET', target: '/calls/%E0%A4%A' }, status: 400 },
    { what: 'DELETE /calls/:id with a malformed %-escape', request: { method: 'DELETE', target: '/calls/%zz' }, status: 400 },
    { what: 'GET /calls/:id of no call', request: { method: 'GET', target: `/calls/${'x'.repeat(4000)}` }, status: 404 },
    { what: 'DELETE /calls/:id of no call', request: { method: 'DELETE', target: '/calls/nope' }, status: 404 },
    { what: 'an unparseable request target', request: { method: 'GET', target: 'http://[' }, status: 400 },
    { what: 'a path escaping upwards', request: { method: 'GET', target: '/calls/../../../etc/passwd' }, status: 404 },
    { what: 'a method no route has', request: json('/calls', {}, 'PUT'), status: 404 },
    { what: 'a method the adaptor does not serve', request: { method: 'TRACE', target: '/calls' }, status: 405 },
    { what: 'an unknown route', request: json('/admin', { from: 'alice' }), status: 404 },
    {
      what: 'a content-length that is no number',
      request: { method: 'POST', target: '/calls', headers: { ...JSON_TYPE, 'content-length': 'abc' }, body: '{}' },
      status: 400,
    },
    {
      what: 'a malformed chunked body',
      request: { method: 'POST', target: '/calls', headers: { ...JSON_TYPE, 'transfer-encoding': 'chunked' }, body: 'zz\r\n{}\r\n0\r\n\r\n' },
      status: 400,
    },
    { what: 'a 64 KB header', request: { method: 'GET', target: '/calls/x', headers: { 'x-pad': 'x'.repeat(65536) } }, status: 431 },
  );
  return cases;
}

test(
  'malformed input at every HTTP route of a demo node gets a 4xx; the node still serves SIP and HTTP, no error escaped, and a failing SBB was alarmed',
  { timeout: 180_000 },
  async (t) => {
    const demo = await startDemoNode(t);
    const wrong: string[] = [];
    for (const { what, request, status } of malformedRequests()) {
      const got = await rawHttp(demo.httpPort, requestBytes(request));
      if (got !== status) wrong.push(`${what}: ${got} (expected ${status})`);
    }
    assert.deepEqual(wrong, [], 'every malformed request got its refusal');

    // A wake-up booked before bookings were validated, or by another node of the cluster: its timer fires into the SBB with an address it cannot call.
    const event: TimerEvent = {
      timerId: 'stale-booking',
      scheduledTime: Date.now(),
      expiryTime: Date.now(),
      period: null,
      numRepetitions: 1,
      remainingRepetitions: 0,
      missedRepetitions: 0,
      address: 'sip:[',
      payload: { who: 'sip:[', at: Date.now() },
    };
    demo.node.slee.kernel.fireOnNewNullActivity(TimerEventType, event, 'sip:[');
    await demo.node.slee.idle();
    const failed = demo.node.slee.kernel.alarms.list().filter((a) => a.type === 'sleet.sbb.event-handler-failed');
    assert.deepEqual(
      failed.map((a) => a.instanceId),
      ['WakeUpCallSbb.onTimer'],
      'the timer-fired handler that failed was rolled back and alarmed, and no other SBB failed',
    );

    assert.ok((await demo.sipOptions()) >= 200, 'an OPTIONS over SIP is answered');
    assert.equal(await demo.postValidCall(), 201, 'a valid POST /calls still works');
    assert.deepEqual(demo.guardAlarms(), [], 'no error reached the last-resort guard');
  },
);
