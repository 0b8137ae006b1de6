import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { ManagementServer } from '../../server/management/rest/management-server.js';
import { startManagementFixture, TOKEN, type ManagementFixture } from '../management/management-fixture.js';

let f: ManagementFixture;
let server: ManagementServer;
let url: string;
before(async () => {
  f = await startManagementFixture();
  // A console build of its own, so that the test needs no `vite build`.
  const root = await mkdtemp(join(tmpdir(), 'sleet-console-assets-'));
  const assets = join(root, 'console');
  await mkdir(join(assets, 'assets'), { recursive: true });
  await writeFile(join(assets, 'index.html'), '<!doctype html><title>Sleet console</title>');
  await writeFile(join(assets, 'assets', 'index-abc123.js'), 'console.log(1);');
  await writeFile(join(assets, 'assets', 'index-abc123.css'), 'body{}');
  await writeFile(join(assets, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(root, 'secret.txt'), 'outside the console');
  server = new ManagementServer({ management: f.management, token: TOKEN, consoleDir: assets });
  url = await server.listen('127.0.0.1', 0);
});
after(async () => {
  await server.close();
  await f.close();
});

/** A GET with the path sent exactly as given: fetch would normalise `..` away. */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('/ and /console redirect to /console/, which serves index.html without a token', async () => {
  for (const path of ['/', '/console']) {
    const res = await fetch(`${url}${path}`, { redirect: 'manual' });
    assert.equal(res.status, 302, path);
    assert.equal(res.headers.get('location'), '/console/');
  }
  const index = await fetch(`${url}/console/`);
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  assert.match(await index.text(), /Sleet console/);
});

test('assets are served with their content types, hashed ones cached for good', async () => {
  const cases: Array<[string, string]> = [
    ['/console/assets/index-abc123.js', 'text/javascript; charset=utf-8'],
    ['/console/assets/index-abc123.css', 'text/css; charset=utf-8'],
    ['/console/assets/logo.svg', 'image/svg+xml'],
  ];
  for (const [path, type] of cases) {
    const res = await fetch(`${url}${path}`);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('content-type'), type, path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('cache-control') ?? '', /immutable/);
  }
  assert.equal((await fetch(`${url}/console/assets/missing.js`)).status, 404);
});

test('paths out of the console folder are refused, however they are spelt', async () => {
  for (const path of [
    '/console/../secret.txt',
    '/console/%2e%2e/secret.txt',
    '/console/..%2fsecret.txt',
    '/console/assets/..%2f..%2fsecret.txt',
    '/console/%00index.html',
    '/console/..\\secret.txt',
  ]) {
    const res = await rawGet(path);
    assert.ok(res.status === 404 || res.status === 400, `${path} is ${res.status}`);
    assert.doesNotMatch(res.body, /outside the console/, path);
  }
});

test('the API still needs the token', async () => {
  assert.equal((await fetch(`${url}/slee`)).status, 401);
  assert.equal((await fetch(`${url}/slee`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
  assert.equal((await fetch(`${url}/console-not/slee`)).status, 401, 'only the console prefix is public');
});
