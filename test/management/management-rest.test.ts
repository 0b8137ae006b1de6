import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { operations } from '../../server/management/api/operations.js';
import type { ManagementNotification } from '../../server/management/api/notification-schema.js';
import { startManagementFixture, TOKEN, type ManagementFixture } from './management-fixture.js';

let f: ManagementFixture;
before(async () => {
  f = await startManagementFixture();
});
after(() => f.close());

const get = (path: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => fetch(`${f.url}${path}`, { headers });

/** Collects notifications until `done` says there are enough. */
function collect(predicate: (seen: ManagementNotification[]) => boolean) {
  const seen: ManagementNotification[] = [];
  let resolve!: () => void;
  const complete = new Promise<void>((r) => (resolve = r));
  return {
    seen,
    complete,
    listener: (n: ManagementNotification) => {
      seen.push(n);
      if (predicate(seen)) resolve();
    },
  };
}

test('requests without a token, or with a wrong one, get 401', async () => {
  const none = await get('/slee', {});
  assert.equal(none.status, 401);
  assert.equal(((await none.json()) as { code: string }).code, ErrorCode.MANAGEMENT_UNAUTHORIZED);
  assert.equal((await get('/slee', { authorization: 'Bearer wrong' })).status, 401);
  assert.equal((await get('/slee')).status, 200);
});

test('the OpenAPI document is public, so Swagger UI or curl can read it without the token; nothing else is', async () => {
  const doc = await get('/openapi.json', {});
  assert.equal(doc.status, 200);
  assert.match(((await doc.json()) as { openapi: string }).openapi, /^3\./);
  assert.equal((await get('/openapi.json?x=/slee', {})).status, 200);
  assert.equal((await get('/openapi.json/../slee', {})).status, 401);
  assert.equal((await get('/slee?openapi.json', {})).status, 401);
});

test('bad input is a 400 naming the field and what is wrong', async () => {
  const response = await fetch(`${f.url}/ra/entities`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 42, type: 'echo' }),
  });
  assert.equal(response.status, 400);
  const body = (await response.json()) as { code: string; details: Array<{ location: string; field: string; message: string }> };
  assert.equal(body.code, ErrorCode.MANAGEMENT_INVALID_INPUT);
  assert.deepEqual(
    body.details.map((d) => [d.location, d.field]),
    [['body', 'name']],
  );
  assert.match(body.details[0]!.message, /string/);

  const limit = await get('/profiles/tables/t/profiles?limit=zero');
  assert.equal(limit.status, 400);
  assert.equal(((await limit.json()) as { details: Array<{ field: string }> }).details[0]!.field, 'limit');
});

test('unknown components are 404 and wrong states 409, the same errors in process and through the client', async () => {
  const response = await get('/services/NoSuchService');
  assert.equal(response.status, 404);
  assert.equal(((await response.json()) as { code: string }).code, ErrorCode.UNKNOWN_COMPONENT);
  await assert.rejects(f.client.serviceActivate({ service: 'NoSuchService:acme:1.0' }), (err) => SleetError.is(err, ErrorCode.UNKNOWN_COMPONENT));
  await assert.rejects(f.management.services.activate('NoSuchService'), (err) => SleetError.is(err, ErrorCode.UNKNOWN_COMPONENT));
  await assert.rejects(f.client.sleeStart(), (err) => SleetError.is(err, ErrorCode.INVALID_STATE) && (err as SleetError & { status: number }).status === 409);
});

test('the OpenAPI document lists every route, and every documented route exists', async () => {
  const doc = (await (await get('/openapi.json')).json()) as {
    openapi: string;
    paths: Record<string, Record<string, { operationId: string }>>;
    components: { schemas: Record<string, unknown> };
  };
  assert.match(doc.openapi, /^3\./);
  const documented = new Set(Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((o) => o.operationId)));
  for (const [name, spec] of Object.entries(operations)) {
    const path = spec.path.replace(/:([A-Za-z]+)/g, '{$1}');
    assert.equal(doc.paths[path]?.[spec.method.toLowerCase()]?.operationId, name, `${name} is documented at ${spec.method} ${path}`);
    assert.ok(f.server.app.hasRoute({ method: spec.method, url: spec.path }), `${name} is routed`);
  }
  assert.equal(documented.size, Object.keys(operations).length + 1, 'the operations plus /notifications');
  // Recursive schemas (dynamic queries) resolve within the document.
  for (const ref of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
    assert.ok(doc.components.schemas[ref[1]!], `${ref[1]} is defined`);
});

test('alarms raised in the SLEE are listed over REST and the client, cleared through the client, and notified over SSE and WebSocket', async () => {
  const sse = collect((seen) => seen.some((n) => n.type === 'alarm' && n.kind === 'cleared'));
  const ws = collect((seen) => seen.some((n) => n.type === 'alarm' && n.kind === 'cleared'));
  const subscriptions = [await f.client.subscribe(sse.listener), await f.client.subscribe(ws.listener, { transport: 'ws' })];
  try {
    const id = f.slee.kernel.alarms.raise('ra:direct', 'test.link-down', 'peer-1', 'MAJOR', 'peer 1 unreachable');
    const inProcess = f.management.alarms.list();
    assert.deepEqual(await f.client.alarmList(), inProcess);
    assert.deepEqual(await (await get('/alarms?source=ra:direct')).json(), inProcess);
    assert.deepEqual(await f.client.alarmList({ source: 'ra:other' }), []);
    assert.equal(inProcess[0]!.id, id);

    await f.client.alarmClear({ alarm: id });
    assert.deepEqual(f.management.alarms.list(), []);
    await Promise.all([sse.complete, ws.complete]);
    for (const { seen } of [sse, ws]) {
      const alarms = seen.filter((n) => n.type === 'alarm');
      assert.deepEqual(
        alarms.map((n) => n.type === 'alarm' && [n.kind, n.alarm.id, n.alarm.level]),
        [
          ['raised', id, 'MAJOR'],
          ['cleared', id, 'CLEAR'],
        ],
      );
    }
    await assert.rejects(f.client.alarmClear({ alarm: id }), (err) => SleetError.is(err, ErrorCode.UNKNOWN_ALARM));
  } finally {
    for (const s of subscriptions) s.close();
  }
});

test('notification streams refuse clients without the token', async () => {
  assert.equal((await get('/notifications', {})).status, 401);
  const { ManagementClient } = await import('../../server/management/client/management-client.js');
  const stranger = new ManagementClient({ url: f.url, token: 'wrong' });
  await assert.rejects(
    stranger.subscribe(() => {}, { transport: 'ws' }),
    (err) => SleetError.is(err, ErrorCode.MANAGEMENT_UNAUTHORIZED),
  );
});

test('RA entities are created with checked properties, activated, reconfigured, deactivated and removed through REST', async () => {
  const events = collect((seen) => seen.filter((n) => n.type === 'ra-entity-state' && n.entity === 'echo-1').length >= 2);
  const sub = await f.client.subscribe(events.listener);
  try {
    await assert.rejects(f.client.raEntityCreate({ name: 'echo-1', type: 'echo', properties: { port: 'x', colour: 'red' } }), (err) => {
      assert.ok(SleetError.is(err, ErrorCode.INVALID_COMPONENT));
      assert.deepEqual(err.details, ["unknown configuration property 'colour'", "configuration property 'port' must be a number, got string"]);
      return true;
    });
    const created = await f.client.raEntityCreate({ name: 'echo-1', type: 'echo:test:1.0', properties: { port: 5070 } });
    assert.deepEqual(created, {
      name: 'echo-1',
      type: { name: 'echo', vendor: 'test', version: '1.0' },
      state: 'INACTIVE',
      config: { host: '127.0.0.1', port: 5070, verbose: false },
      activities: 0,
    });
    await assert.rejects(f.client.raEntityCreate({ name: 'echo-1', type: 'echo', properties: { port: 1 } }), (err) =>
      SleetError.is(err, ErrorCode.DUPLICATE_COMPONENT),
    );
    assert.equal((await f.client.raEntityActivate({ entity: 'echo-1' })).state, 'ACTIVE');
    const reconfigured = await f.client.raEntityReconfigure({ entity: 'echo-1', properties: { verbose: true } });
    assert.deepEqual(reconfigured.config, { host: '127.0.0.1', port: 5070, verbose: true });
    await assert.rejects(f.client.raEntityReconfigure({ entity: 'echo-1', properties: { port: 'high' } }), (err) =>
      SleetError.is(err, ErrorCode.INVALID_COMPONENT),
    );
    await f.client.raLinkBind({ link: 'echo', entity: 'echo-1' });
    await assert.rejects(f.client.raEntityDeactivate({ entity: 'nope' }), (err) => SleetError.is(err, ErrorCode.UNKNOWN_COMPONENT));
    assert.equal((await f.client.raEntityDeactivate({ entity: 'echo-1' })).state, 'INACTIVE');
    await assert.rejects(f.client.raEntityRemove({ entity: 'echo-1' }), (err) => SleetError.is(err, ErrorCode.INVALID_STATE), 'still bound to a link');
    await f.client.raLinkUnbind({ link: 'echo' });
    await f.client.raEntityRemove({ entity: 'echo-1' });
    assert.deepEqual(
      (await f.client.raEntityList()).map((e) => e.name),
      ['direct'],
    );
    await events.complete;
    assert.deepEqual(
      events.seen.filter((n) => n.type === 'ra-entity-state').map((n) => n.type === 'ra-entity-state' && n.state),
      ['ACTIVE', 'STOPPING', 'INACTIVE'],
    );
  } finally {
    sub.close();
  }
});

test('a usage threshold notifies when a counter reaches it, and again when a reset brings it below', async () => {
  const set = f.slee.kernel.usage.parameterSet('ra:direct', new Set(['hits']), new Set());
  const crossings = collect((seen) => seen.filter((n) => n.type === 'usage-threshold').length >= 2);
  const sub = await f.client.subscribe(crossings.listener, { transport: 'ws' });
  try {
    const threshold = await f.client.usageThresholdSet({ source: 'ra:direct', counter: 'hits', threshold: 2 });
    set.increment('hits');
    set.increment('hits');
    set.increment('hits');
    assert.equal((await f.client.usageGet({ source: 'ra:direct' })).counters.hits, 3);
    assert.equal((await f.client.usageReset({ source: 'ra:direct' })).counters.hits, 0);
    await crossings.complete;
    assert.deepEqual(
      crossings.seen.filter((n) => n.type === 'usage-threshold').map((n) => n.type === 'usage-threshold' && [n.direction, n.value]),
      [
        ['rising', 2],
        ['falling', 0],
      ],
    );
    await f.client.usageThresholdRemove({ threshold: threshold.id });
    await assert.rejects(f.client.usageThresholdSet({ source: 'ra:direct', counter: 'misses', threshold: 1 }), (err) =>
      SleetError.is(err, ErrorCode.UNKNOWN_USAGE_PARAMETER),
    );
  } finally {
    sub.close();
  }
});

test('trace levels set through the client are those the SLEE applies', async () => {
  await f.client.traceSet({ source: 'ra:direct', tracer: 'sip', level: 'FINE' });
  assert.equal(f.slee.kernel.traces.getLevel('ra:direct', 'sip.transport'), 'FINE');
  assert.deepEqual(await f.client.traceGet({ source: 'ra:direct', tracer: 'sip.transport' }), { source: 'ra:direct', tracer: 'sip.transport', level: 'FINE' });
  await assert.rejects(f.client.traceSet({ source: 'ra:direct', tracer: 'sip', level: 'LOUD' as 'FINE' }), (err) =>
    SleetError.is(err, ErrorCode.MANAGEMENT_INVALID_INPUT),
  );
});

test('activities are listed and ended by hand', async () => {
  const activity = f.ra.startActivity('manual-1');
  const listed = await f.client.activityList();
  const mine = listed.find((a) => a.handle === activity.handle);
  assert.deepEqual(mine && { owner: mine.owner, state: mine.state }, { owner: 'direct', state: 'active' });
  await f.client.activityEnd({ id: mine!.id });
  await f.slee.idle();
  assert.ok(f.ra.ended.includes('manual-1'));
  await assert.rejects(f.client.activityGet({ id: mine!.id }), (err) => SleetError.is(err, ErrorCode.UNRECOGNIZED_ACTIVITY));
});

test('without a deployment subsystem or profile store, their routes answer 503', async () => {
  await assert.rejects(
    f.client.deploymentListUnits(),
    (err) => SleetError.is(err, ErrorCode.MANAGEMENT_UNAVAILABLE) && (err as SleetError & { status: number }).status === 503,
  );
  await assert.rejects(f.client.profileTableList(), (err) => SleetError.is(err, ErrorCode.MANAGEMENT_UNAVAILABLE));
});
