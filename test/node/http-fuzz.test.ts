import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startDemoNode } from './demo-node.js';
import { rawHttp, requestBytes, type RawRequest } from '../http/raw-http.js';

/** Bounds: whichever comes first. */
const FUZZ_MS = 3000;
const FUZZ_REQUESTS = 600;
const CONCURRENCY = 4;
const SEED = Number(process.env['SLEET_FUZZ_SEED'] ?? 0x5eed);

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with SLEET_FUZZ_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  '[',
  ']',
  '{',
  '}',
  '"',
  '\\',
  '%',
  '%zz',
  '%E0%A4%A',
  '\u0000',
  ':',
  '@',
  ';',
  'sip:[',
  'sips:',
  '\ud800',
  '1e999',
  'null',
  ',,',
  'true',
  '-1',
  '\r\n',
  '<',
  '>',
  '../',
  '?',
  '#',
  'é',
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/problem+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  '',
  'application/json;;',
  'multipart/form-data; boundary=x',
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE'];

function seeds(): RawRequest[] {
  const json = { 'content-type': 'application/json' };
  return [
    { method: 'POST', target: '/calls', headers: json, body: JSON.stringify({ from: 'alice', to: 'bob' }) },
    { method: 'POST', target: '/calls', headers: json, body: JSON.stringify({ from: 'sip:alice@127.0.0.1', to: 'sip:bob@127.0.0.1;transport=udp' }) },
    { method: 'POST', target: '/wakeups', headers: json, body: JSON.stringify({ who: 'carol', at: '07:00' }) },
    { method: 'POST', target: '/wakeups', headers: json, body: JSON.stringify({ who: 'sip:carol@127.0.0.1', at: Date.now() + 3_600_000 }) },
    { method: 'GET', target: `/calls/${randomUUID()}` },
    { method: 'DELETE', target: `/calls/${randomUUID()}` },
  ];
}

/** One to three mutations of a seed: of its body, headers, path or method. */
function mutate(seed: RawRequest, random: () => number): RawRequest {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const request: RawRequest = { ...seed, headers: { ...seed.headers } };
  let body = request.body === undefined ? '' : request.body.toString();
  const rounds = 1 + Math.floor(random() * 3);
  for (let i = 0; i < rounds; i++) {
    const at = Math.floor(random() * (body.length + 1));
    switch (Math.floor(random() * 10)) {
      case 0:
        body = body.slice(0, at) + pick(TOKENS) + body.slice(at);
        break;
      case 1:
        body = body.slice(0, at) + body.slice(at + 1 + Math.floor(random() * 8));
        break;
      case 2:
        body = body.slice(0, at);
        break;
      case 3:
        body = body.slice(0, at) + body.slice(at).repeat(1 + Math.floor(random() * 50));
        break;
      case 4:
        body = body.replace(/"[^"]*"/g, (s) => (random() < 0.3 ? JSON.stringify(pick([42, null, [], {}, s.repeat(200), pick(TOKENS), true])) : s));
        break;
      case 5:
        request.headers!['content-type'] = pick(CONTENT_TYPES);
        break;
      case 6:
        request.target = `${request.target}${pick(['/', '//', '/x', `/${pick(TOKENS)}`, '?a=%', `?${'q'.repeat(2000)}`, '/..', '%2F', '#f'])}`;
        break;
      case 7:
        request.method = pick(METHODS);
        break;
      case 8:
        request.headers![pick(['x-fuzz', 'accept', 'content-encoding', 'expect', 'content-type'])] = pick([
          'gzip',
          '100-continue',
          '*/*',
          'x'.repeat(300),
          'é',
          '',
        ]);
        break;
      default:
        body = body.slice(0, at) + String.fromCharCode(Math.floor(random() * 256)) + body.slice(at + 1);
    }
  }
  request.body = body;
  return request;
}

/** Only loopback SIP destinations: a mutation that turned an address into another host is not sent. */
function staysOnLoopback(request: RawRequest): boolean {
  const text = `${request.target} ${request.body?.toString() ?? ''}`;
  return [...text.matchAll(/@([^"\\;:?>,\s]*)/g)].every((m) => /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(m[1]!) || m[1] === '');
}

test(
  'bounded HTTP fuzz: mutated bodies, headers, paths and methods at a demo node; it still serves, and no request activity is left open',
  { timeout: 180_000 },
  async (t) => {
    const demo = await startDemoNode(t);
    const random = prng(SEED);
    const base = seeds();
    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    const deadline = Date.now() + FUZZ_MS;
    let sent = 0;
    const worker = async () => {
      while (sent < FUZZ_REQUESTS && Date.now() < deadline) {
        const request = mutate(base[Math.floor(random() * base.length)]!, random);
        if (!staysOnLoopback(request)) continue;
        sent++;
        const status = await rawHttp(demo.httpPort, requestBytes(request), 2000);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500) serverErrors.push(`${status} for ${request.method} ${request.target.slice(0, 80)} ${request.body?.toString().slice(0, 120)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const summary = `seed ${SEED}, ${sent} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`;

    t.diagnostic(summary);
    assert.ok(sent >= 50, `the fuzzer ran: ${summary}`);
    assert.deepEqual(serverErrors.slice(0, 5), [], `no request made the node fail (${summary})`);
    await demo.node.slee.idle();
    assert.equal(demo.httpActivities(), 0, `no HTTP request activity is left open (${summary})`);
    assert.ok((await demo.sipOptions()) >= 200, 'an OPTIONS over SIP is answered');
    assert.equal(await demo.postValidCall(), 201, 'a valid POST /calls still works');
    assert.deepEqual(demo.guardAlarms(), [], `no error reached the last-resort guard (${summary})`);
    assert.deepEqual(
      demo.node.slee.kernel.alarms.list().filter((a) => a.type === 'sleet.sbb.event-handler-failed'),
      [],
      'no SBB failed',
    );
  },
);
