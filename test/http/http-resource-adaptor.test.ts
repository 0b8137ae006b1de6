import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Slee } from '../../slee/container/slee.js';
import { HttpResourceAdaptor } from '../../resource-adaptors/http/http-resource-adaptor.js';
import type { HttpClientErrorEvent, HttpResponseEvent } from '../../resource-adaptors/http/http-events.js';
import type { ConfigProperties } from '../../slee/resource-adaptor/resource-adaptor.js';
import { z } from 'zod';
import { silentLogger } from '../helpers/silent-logger.js';
import { rawHttp } from './raw-http.js';
import { CallApiSbb, registerCallRoutes, slowGate, webhookResults } from './call-api-sbb.js';

/** Activities of the HTTP adaptor still live, leaving out the service activities the SLEE starts for active services. */
function httpActivities(slee: Slee): number {
  return [...slee.kernel.activities.values()].filter((ac) => ac.owner !== 'slee:service').length;
}

/** Activities started for requests: all started, less one service activity per active service. */
function requestActivitiesStarted(slee: Slee): number {
  return slee.kernel.stats.activitiesStarted - slee.listServices().filter((s) => s.state === 'ACTIVE').length;
}

async function startHttpSlee(options: { routes?: boolean; services?: boolean; config?: ConfigProperties } = {}) {
  const slee = new Slee({ logger: silentLogger() });
  const ra = new HttpResourceAdaptor();
  await slee.createResourceAdaptorEntity('http', ra, { port: 0, ...options.config });
  slee.bindLinkName('http', 'http');
  await slee.activateResourceAdaptorEntity('http');
  if (options.routes !== false) registerCallRoutes(ra.getSbbInterface());
  if (options.services !== false) slee.activateService(slee.installService(CallApiSbb));
  await slee.start();
  const base = `http://127.0.0.1:${ra.address!.port}`;
  return { slee, ra, base, close: () => slee.stop() };
}

async function call(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  const json = res.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  return { status: res.status, headers: res.headers, text, json };
}

const postJson = (body: string, extra: RequestInit = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body, ...extra });

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('SBBs answer GET and POST through the SLEE, with route params, query and the parsed body', async () => {
  const { slee, base, close } = await startHttpSlee();
  try {
    const get = await call(`${base}/calls/42?leg=a&leg=b&verbose=1`);
    assert.equal(get.status, 200);
    assert.deepEqual(get.json, { id: '42', query: { leg: ['a', 'b'], verbose: '1' } });

    const post = await call(`${base}/calls`, postJson(JSON.stringify({ caller: 'sip:alice@example.com', callee: 'sip:bob@example.com' })));
    assert.equal(post.status, 201);
    assert.equal(post.headers.get('location'), '/calls/1');
    assert.deepEqual(post.json, { accepted: { caller: 'sip:alice@example.com', callee: 'sip:bob@example.com' } });

    await slee.idle();
    assert.equal(httpActivities(slee), 0, 'answered requests ended their activities');
    assert.equal(requestActivitiesStarted(slee), 2);
  } finally {
    await close();
  }
});

test('malformed JSON gets 400 with the parser detail before any SBB sees it', async () => {
  const { slee, base, close } = await startHttpSlee();
  try {
    const res = await call(`${base}/calls`, postJson('{"caller": "sip:alice@example.com",'));
    assert.equal(res.status, 400);
    assert.equal(res.json?.error, 'malformed JSON');
    assert.equal(typeof res.json?.detail, 'string');
    assert.ok((res.json!.detail as string).length > 0);
    assert.equal(requestActivitiesStarted(slee), 0, 'the SLEE never saw the request');
  } finally {
    await close();
  }
});

test("a body failing the route's schema gets 400 listing each issue's path and message", async () => {
  const { slee, base, close } = await startHttpSlee();
  try {
    const res = await call(`${base}/calls`, postJson(JSON.stringify({ caller: 'alice', callee: 7 })));
    assert.equal(res.status, 400);
    assert.equal(res.json?.error, 'invalid body');
    const issues = res.json?.issues as Array<{ path: string; message: string }>;
    assert.deepEqual(issues.map((i) => i.path).sort(), ['callee', 'caller']);
    assert.ok(issues.every((i) => typeof i.message === 'string' && i.message.length > 0));
    assert.equal(requestActivitiesStarted(slee), 0, 'the SLEE never saw the request');
  } finally {
    await close();
  }
});

test('404 when no service answers, and for unknown routes without going through the SLEE', async () => {
  const bare = await startHttpSlee({ routes: false, services: false });
  try {
    const res = await call(`${bare.base}/anything`);
    assert.equal(res.status, 404);
    assert.match(res.json?.error as string, /no service answered GET \/anything/);
    assert.equal(requestActivitiesStarted(bare.slee), 1, 'without routes the request went to the SLEE');
  } finally {
    await bare.close();
  }
  const api = await startHttpSlee();
  try {
    const ignored = await call(`${api.base}/ignored`);
    assert.equal(ignored.status, 404, 'the SBB took the event but did not answer');
    const before = requestActivitiesStarted(api.slee);
    const unknown = await call(`${api.base}/nowhere`);
    assert.equal(unknown.status, 404);
    assert.match(unknown.json?.error as string, /no route for GET \/nowhere/);
    assert.equal(requestActivitiesStarted(api.slee), before, 'an unknown route never reached the SLEE');
  } finally {
    await api.close();
  }
});

test('a failing handler gets 500 and raises the handler-failed alarm', async () => {
  const { slee, base, close } = await startHttpSlee();
  try {
    const res = await call(`${base}/boom`);
    assert.equal(res.status, 500);
    assert.ok(
      slee.kernel.alarms.list().some((a) => a.type === 'sleet.sbb.event-handler-failed'),
      'an alarm names the failed handler',
    );
  } finally {
    await close();
  }
});

test("a route's params schema refuses bad path parameters with 400, and a malformed %-escape or request target is a 400, all before the SLEE", async () => {
  const { slee, ra, base, close } = await startHttpSlee();
  try {
    ra.getSbbInterface().route('GET', '/legs/:n', { params: z.object({ n: z.coerce.number().int().min(1) }) });
    const res = await call(`${base}/legs/zero`);
    assert.equal(res.status, 400);
    assert.equal(res.json?.error, 'invalid path parameters');
    assert.deepEqual(
      (res.json?.issues as Array<{ path: string }>).map((i) => i.path),
      ['n'],
    );
    const port = ra.address!.port;
    assert.equal(await rawHttp(port, 'GET /calls/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), 400);
    assert.equal(await rawHttp(port, 'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), 400);
    assert.equal(requestActivitiesStarted(slee), 0, 'the SLEE never saw the requests');
    assert.equal((await call(`${base}/calls/42`)).status, 200, 'the adaptor still serves');
  } finally {
    await close();
  }
});

test('a reply the SBB cannot send (a body JSON cannot hold) fails its handler, and the adaptor answers 500 and ends the activity', async () => {
  const { slee, base, close } = await startHttpSlee();
  try {
    const res = await call(`${base}/unsendable`, { signal: AbortSignal.timeout(5000) });
    assert.equal(res.status, 500);
    assert.ok(slee.kernel.alarms.list().some((a) => a.type === 'sleet.sbb.event-handler-failed' && /BigInt/.test(a.message)));
    await until(() => httpActivities(slee) === 0, 'the request activity to end');
  } finally {
    await close();
  }
});

test('a request nobody answers within requestTimeoutMs gets 504', async () => {
  const { slee, base, close } = await startHttpSlee({ config: { requestTimeoutMs: 200 } });
  try {
    const res = await call(`${base}/slow`);
    assert.equal(res.status, 504);
    slowGate.release();
    await slee.idle();
    const failures = slee.kernel.alarms.list().filter((a) => a.type === 'sleet.sbb.event-handler-failed');
    assert.equal(failures.length, 1, 'answering after the timeout fails in the handler: it was already answered');
  } finally {
    await close();
  }
});

test('a body over maxBodyBytes gets 413', async () => {
  const { slee, base, close } = await startHttpSlee({ config: { maxBodyBytes: 64 } });
  try {
    const big = JSON.stringify({ caller: 'sip:alice@example.com', callee: `sip:${'b'.repeat(100)}@example.com` });
    const res = await call(`${base}/calls`, postJson(big));
    assert.equal(res.status, 413);
    assert.equal(requestActivitiesStarted(slee), 0);
    const small = await call(`${base}/calls/1`);
    assert.equal(small.status, 200, 'the server still serves after refusing a body');
  } finally {
    await close();
  }
});

test('the HTTP client delivers the response to the SBB that sent the webhook, and a client error for a refused connection', async () => {
  const seen: Array<{ body: string; type: string | undefined }> = [];
  const hook = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ body, type: req.headers['content-type'] });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const hookPort = (hook.address() as AddressInfo).port;
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));

  webhookResults.length = 0;
  const { slee, base, close } = await startHttpSlee();
  try {
    const sent = await call(`${base}/webhooks`, postJson(JSON.stringify({ target: `http://127.0.0.1:${hookPort}/hook` })));
    assert.equal(sent.status, 202);
    await until(() => webhookResults.length === 1, 'the webhook response event');
    const response = webhookResults[0] as HttpResponseEvent;
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { ok: true });
    assert.equal(response.request.url, `http://127.0.0.1:${hookPort}/hook`);
    assert.deepEqual(seen, [{ body: JSON.stringify({ event: 'call-answered' }), type: 'application/json' }]);

    const refused = await call(`${base}/webhooks`, postJson(JSON.stringify({ target: `http://127.0.0.1:${closedPort}/hook` })));
    assert.equal(refused.status, 202);
    await until(() => webhookResults.length === 2, 'the client error event');
    const error = webhookResults[1] as HttpClientErrorEvent;
    assert.equal(error.code, 'ECONNREFUSED');
    assert.equal(error.request.url, `http://127.0.0.1:${closedPort}/hook`);
    await slee.idle();
    assert.equal(slee.kernel.entities.size, 0, 'the SBBs were removed once their client activities ended');
  } finally {
    await close();
    await new Promise<void>((r) => hook.close(() => r()));
  }
});

test('with authToken set, requests need the token as Bearer or as the Basic password; refusals are 401 before routing or the SLEE', async () => {
  const token = 'a-long-enough-http-token-0123456789';
  const { slee, base, close } = await startHttpSlee({ config: { authToken: token } });
  try {
    const none = await call(`${base}/calls/42`);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer realm="sleet", Basic realm="sleet"$/);
    assert.equal((await call(`${base}/no-such-route`)).status, 401, 'an unknown route is not revealed without the token');
    assert.equal((await call(`${base}/calls/42`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
    assert.equal((await call(`${base}/calls/42`, { headers: { authorization: `Bearer ${token}x` } })).status, 401);
    const basicWrong = Buffer.from('ops:wrong').toString('base64');
    assert.equal((await call(`${base}/calls/42`, { headers: { authorization: `Basic ${basicWrong}` } })).status, 401);
    assert.equal((await call(`${base}/calls/42`, { headers: { authorization: 'Basic !!!' } })).status, 401);
    assert.equal(requestActivitiesStarted(slee), 0, 'no refused request reached the SLEE');

    assert.equal((await call(`${base}/calls/42`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    const basic = Buffer.from(`ops:${token}`).toString('base64');
    assert.equal((await call(`${base}/calls/42`, { headers: { authorization: `Basic ${basic}` } })).status, 200);
  } finally {
    await close();
  }
});

test('an authToken shorter than 16 characters is refused as configuration', async () => {
  await assert.rejects(startHttpSlee({ config: { authToken: 'short' } }), /authToken/);
});
