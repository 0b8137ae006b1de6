import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startManagementFixture, TOKEN } from '../management/management-fixture.js';

const MAIN = fileURLToPath(new URL('../../server/cli/main.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a child process, without the caller's SLEET_* environment. */
function sleet(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLEET_')));
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { ...clean, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('the CLI lists an alarm raised in the SLEE and clears it, against an in-process management server', async () => {
  const f = await startManagementFixture();
  try {
    const id = f.slee.kernel.alarms.raise('ra:direct', 'test.disk-full', 'disk-0', 'CRITICAL', 'disk 0 full');
    const env = { SLEET_URL: f.url, SLEET_TOKEN: TOKEN };
    const human = await sleet(['alarm', 'list'], env);
    assert.equal(human.code, 0, human.stderr);
    const [header, row] = human.stdout.trim().split('\n');
    assert.match(header!, /^ID\s+LEVEL\s+SOURCE\s+TYPE/);
    assert.match(row!, new RegExp(`^${id}\\s+CRITICAL\\s+ra:direct\\s+test.disk-full\\s+disk-0`));
    const json = await sleet(['alarm', 'list', '--json'], env);
    assert.deepEqual(JSON.parse(json.stdout), f.management.alarms.list());

    const cleared = await sleet(['alarm', 'clear', id], env);
    assert.equal(cleared.stdout.trim(), 'cleared 1 alarm');
    assert.deepEqual(f.management.alarms.list(), []);
    const again = await sleet(['alarm', 'clear', id], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no active alarm/);
    const wrongToken = await sleet(['slee', 'state', '--url', f.url, '--token', 'nope']);
    assert.equal(wrongToken.code, 1);
    assert.match(wrongToken.stderr, /bearer token/);
  } finally {
    await f.close();
  }
});

test('sleet start runs a node the CLI manages end to end, and SIGTERM stops it cleanly', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sleet-cli-'));
  const child = spawn(
    process.execPath,
    [MAIN, 'start', '--data-dir', dataDir, '--management-port', '0', '--sip-port', '0', '--http-port', '0', '--domain', 'test.invalid'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*listening/.exec(log);
      if (match) resolve(match[1]!);
    });
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    void exited.then((code) => reject(new Error(`sleet start exited with ${code}:\n${log}`)));
  });
  try {
    const at = ['--data-dir', dataDir];
    const state = await sleet(['slee', 'state', ...at]);
    assert.equal(state.code, 0, state.stderr);
    assert.match(state.stdout, /^state:\s+RUNNING$/m);
    assert.equal(JSON.parse((await sleet(['slee', 'state', '--json', ...at])).stdout).state, 'RUNNING');

    assert.match((await sleet(['ra', 'types', ...at])).stdout, /^direct:sleet:1\.0/m);
    const created = JSON.parse((await sleet(['ra', 'create', 'direct', 'feed', '--json', ...at])).stdout) as { name: string; state: string };
    assert.deepEqual([created.name, created.state], ['feed', 'INACTIVE']);
    assert.match((await sleet(['ra', 'activate', 'feed', ...at])).stdout, /^feed\s+direct:sleet:1\.0\s+ACTIVE/m);
    assert.equal((await sleet(['ra', 'bind', 'feed-link', 'feed', ...at])).stdout.trim(), 'bound feed-link → feed');
    assert.match((await sleet(['ra', 'links', ...at])).stdout, /^feed-link\s+feed$/m);
    assert.match((await sleet(['trace', 'set', 'ra:feed', 'wire', 'fine', ...at])).stdout, /^ra:feed\s+wire\s+FINE$/m);
    const services = (await sleet(['service', 'list', ...at])).stdout;
    assert.match(services, /^SERVICE\s+STATE\s+PRIORITY\s+ROOTS$/m);
    assert.match(services, /^DigestAuth:sleet:1\.0\s+ACTIVE\s+100\s+0$/m, 'every node runs the telephony services');
    assert.match(services, /^LocationProxy:sleet:1\.0\s+ACTIVE\s+10\s+0$/m);

    const unknown = await sleet(['service', 'activate', 'Missing:acme:1.0', ...at]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no service 'Missing:acme:1.0' is installed/);
    const badProp = await sleet(['ra', 'create', 'direct', 'other', '--prop', 'speed=3', ...at]);
    assert.equal(badProp.code, 1);
    assert.match(badProp.stderr, /unknown configuration property 'speed'/);

    assert.match((await sleet(['slee', 'stop', ...at])).stdout, /^state:\s+STOPPED$/m);
    assert.match((await sleet(['slee', 'start', ...at])).stdout, /^state:\s+RUNNING$/m);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, log);
  assert.match(log, /sleet node stopped/);
});

test('sleet start refuses a bad configuration with exit code 2', async () => {
  const run = await sleet(['start', '--management-port', 'eighty', '--trusted', '10.0.0.0/40']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--management-port/);
  assert.match(run.stderr, /--trusted: expected an IP address or CIDR block/);
});

test("a refused bundle: the CLI prints the reason once, as text, and no path of the node's data directory", async (t) => {
  const { SleetNode } = await import('../../server/node/sleet-node.js');
  const { resolveNodeConfig } = await import('../../server/node/config/node-config.js');
  const { silentLogger } = await import('../helpers/silent-logger.js');
  const { freePort } = await import('../sip/interop/sipp-runner.js');
  const tar = await import('tar');
  const { writeFile } = await import('node:fs/promises');
  const dataDir = await mkdtemp(join(tmpdir(), 'sleet-cli-refused-'));
  const config = resolveNodeConfig({ flags: { dataDir, sipPort: await freePort(), httpPort: 0, managementPort: 0, domain: ['test.invalid'] }, env: {} });
  const node = await SleetNode.start({ config, logger: silentLogger() });
  t.after(() => node.stop());
  const source = await mkdtemp(join(tmpdir(), 'sleet-not-a-bundle-'));
  await writeFile(join(source, 'README.md'), 'not a bundle\n');
  const archive = join(source, 'not-a-bundle.tgz');
  await tar.c({ gzip: true, cwd: source, file: archive }, ['README.md']);

  const run = await sleet(['deploy', 'install', archive, '--data-dir', dataDir]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /sleet-bundle\.json is missing/);
  assert.ok(!run.stderr.includes(dataDir) && !run.stderr.includes('staging'), `no server-side path: ${run.stderr}`);
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.filter((l) => /sleet-bundle\.json is missing/.test(l)).length, 1, `the reason once: ${run.stderr}`);
  assert.ok(!lines.some((l) => /^\s*[[\]{}"]/.test(l)), `no JSON after the text: ${run.stderr}`);
});
