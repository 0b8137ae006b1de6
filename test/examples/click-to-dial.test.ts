import 'reflect-metadata';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpResourceAdaptor } from '../../resource-adaptors/http/http-resource-adaptor.js';
import { registerRoutes } from '../../resource-adaptors/http/expose-routes.js';
import { CallStartedEvent, ClickToDialSbb, CLICK_TO_DIAL_ROUTES, type CallStateChange } from '../../examples/click-to-dial/src/index.js';
import { freePort, runSipp, sippSkipReason } from '../sip/interop/sipp-runner.js';
import { startSipSlee } from '../sip/ra/sip-ra-fixture.js';

/** A SLEE with the SIP and HTTP RAs and the click-to-dial service; the REST API's base URL. */
async function startClickToDial(t: TestContext) {
  const { slee } = await startSipSlee(t, { port: await freePort(), transports: 'udp' });
  const http = new HttpResourceAdaptor();
  await slee.createResourceAdaptorEntity('http', http, { host: '127.0.0.1', port: 0 });
  slee.bindLinkName('http', 'http');
  await slee.activateResourceAdaptorEntity('http');
  registerRoutes(http.getSbbInterface(), CLICK_TO_DIAL_ROUTES);
  slee.registerEventType(CallStartedEvent);
  slee.activateService(slee.installService(ClickToDialSbb));
  return { slee, base: `http://127.0.0.1:${http.address!.port}` };
}

/** A webhook receiver collecting the JSON bodies POSTed to it. */
async function startWebhook(t: TestContext) {
  const received: CallStateChange[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as CallStateChange);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return { received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
}

async function request(url: string, method = 'GET', body?: unknown) {
  const res = await fetch(url, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Polls until `condition` holds; the limit is a safety net against hanging, not a performance bound. */
async function waitUntil(condition: () => boolean | Promise<boolean>, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stateOf(base: string, id: string) {
  return (await request(`${base}/calls/${id}`)).json;
}

test(
  'click-to-dial over HTTP: A answers, B answers, the call is connected, DELETE hangs both up; the webhook sees every state in order',
  { skip: sippSkipReason() },
  async (t) => {
    const { base } = await startClickToDial(t);
    const hook = await startWebhook(t);
    const [portA, portB] = [await freePort(), await freePort()];
    const partyA = runSipp({ scenario: { builtin: 'uas' }, port: portA, calls: 1 });
    const partyB = runSipp({ scenario: { builtin: 'uas' }, port: portB, calls: 1 });
    await new Promise((r) => setTimeout(r, 300));

    const created = await request(`${base}/calls`, 'POST', { from: `sip:alice@127.0.0.1:${portA}`, to: `sip:bob@127.0.0.1:${portB}`, webhook: hook.url });
    assert.equal(created.status, 201);
    assert.equal(created.json['state'], 'calling-a');
    const id = String(created.json['id']);

    await waitUntil(async () => (await stateOf(base, id))['state'] === 'connected', 'the call to be connected');
    assert.deepEqual(await stateOf(base, id), { id, from: `sip:alice@127.0.0.1:${portA}`, to: `sip:bob@127.0.0.1:${portB}`, state: 'connected', reason: null });

    const hangup = await request(`${base}/calls/${id}`, 'DELETE');
    assert.equal(hangup.status, 202);
    await waitUntil(async () => (await stateOf(base, id))['state'] === 'terminated', 'the call to be terminated');

    const [a, b] = [await partyA, await partyB];
    assert.equal(a.exitCode, 0, `A: ${a.errors}`);
    assert.equal(b.exitCode, 0, `B: ${b.errors}`);
    assert.equal(a.successful, 1, 'A got INVITE, answered, got ACK and BYE');
    assert.equal(b.successful, 1, 'B got INVITE, answered, got ACK and BYE');

    await waitUntil(
      () => hook.received.length === 4,
      () => `four webhook deliveries, got ${JSON.stringify(hook.received)}`,
    );
    assert.deepEqual(
      hook.received.map(({ id, seq, state }) => ({ id, seq, state })),
      [
        { id, seq: 1, state: 'calling-a' },
        { id, seq: 2, state: 'calling-b' },
        { id, seq: 3, state: 'connected' },
        { id, seq: 4, state: 'terminated' },
      ],
    );
  },
);

/** A busy party A; the call's GET view once terminated. */
async function busyCall(t: TestContext) {
  const { base } = await startClickToDial(t);
  const hook = await startWebhook(t);
  const portA = await freePort();
  const partyA = runSipp({ scenario: { file: 'c2d-uas-busy.xml' }, port: portA, calls: 1 });
  await new Promise((r) => setTimeout(r, 300));
  const created = await request(`${base}/calls`, 'POST', {
    from: `sip:alice@127.0.0.1:${portA}`,
    to: `sip:bob@127.0.0.1:${await freePort()}`,
    webhook: hook.url,
  });
  assert.equal(created.status, 201);
  const id = String(created.json['id']);
  await waitUntil(async () => (await stateOf(base, id))['state'] === 'terminated', 'the call to be terminated');
  const a = await partyA;
  assert.equal(a.exitCode, 0, a.errors);
  await waitUntil(() => hook.received.length === 2, 'two webhook deliveries');
  return { view: await stateOf(base, id), hook };
}

test('click-to-dial when A is busy: terminated, B never called', { skip: sippSkipReason() }, async (t) => {
  const { hook } = await busyCall(t);
  assert.deepEqual(
    hook.received.map((c) => c.state),
    ['calling-a', 'terminated'],
    'B was never called',
  );
});

test('click-to-dial when A is busy: the terminated call tells why', { skip: sippSkipReason() }, async (t) => {
  const { view, hook } = await busyCall(t);
  assert.equal(view['reason'], 'A 486');
  assert.equal(hook.received[1]!.reason, 'A 486');
});

test('the click-to-dial API refuses bad bodies and unknown calls', async (t) => {
  const { base } = await startClickToDial(t);
  const bad = await request(`${base}/calls`, 'POST', { from: 'sip:alice@127.0.0.1', to: 'not a party' });
  assert.equal(bad.status, 400);
  assert.deepEqual(
    (bad.json['issues'] as Array<{ path: string }>).map((i) => i.path),
    ['to'],
  );
  const noTo = await request(`${base}/calls`, 'POST', { from: 'alice' });
  assert.equal(noTo.status, 400);
  assert.equal((await request(`${base}/calls/nope`)).status, 404);
  assert.equal((await request(`${base}/calls/nope`, 'DELETE')).status, 404);
});
