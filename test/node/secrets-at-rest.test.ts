import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { provisionDemoSubscribers } from '../../server/demo/demo-subscribers.js';
import { ManagementClient } from '../../server/management/client/management-client.js';
import { ProfileStore } from '../../profiles/storage/profile-store.js';
import { Attr, AddressAttr, ProfileSpec, Unique } from '../../profiles/index.js';
import { openTelephonyTables } from '../../sbbs/open-telephony-tables.js';
import { SUBSCRIBERS_TABLE } from '../../sbbs/subscribers/subscriber-profile.js';
import { fixtureBundle } from '../deployment/fixture-bundles.js';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Every file under a directory with its mode, relative path first. */
async function walk(dir: string, prefix = ''): Promise<Array<{ path: string; mode: number; dir: boolean; full: string }>> {
  const out: Array<{ path: string; mode: number; dir: boolean; full: string }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const path = prefix + entry.name;
    out.push({ path, mode: (await stat(full)).mode & 0o777, dir: entry.isDirectory(), full });
    if (entry.isDirectory()) out.push(...(await walk(full, `${path}/`)));
  }
  return out;
}

function capturingLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
  return { logger, lines };
}

async function assertNoPlaintext(dir: string, secrets: string[]): Promise<void> {
  for (const file of await walk(dir)) {
    if (file.dir) continue;
    const bytes = await readFile(file.full);
    for (const secret of secrets) assert.equal(bytes.includes(secret), false, `${file.path} holds the plaintext '${secret}'`);
  }
}

test('the data directory is 0700 and every file in it 0600, the SQLite WAL and shared memory included', async () => {
  const dataDir = join(await mkdtemp(join(tmpdir(), 'sleet-secrets-')), 'data');
  const config = resolveNodeConfig({ flags: { dataDir, managementPort: 0, sipPort: 0, httpPort: 0 }, env: {} });
  const { logger } = capturingLogger();
  const node = await SleetNode.start({ config, logger });
  try {
    const bundle = await fixtureBundle('tick-events');
    await node.deployment.install(bundle.archive);
    await node.profiles.createProfile(SUBSCRIBERS_TABLE, 'dave', { address: 'sip:dave@127.0.0.1', username: 'dave', password: 'Plaintext-Dave-4711' });
    const files = await walk(dataDir);
    const names = files.map((f) => f.path);
    for (const expected of [
      'profiles.sqlite',
      'profiles.sqlite-wal',
      'profiles.sqlite-shm',
      'resources.json',
      'deployment.json',
      'management-token',
      'management-url',
      'digest-secret',
      'units',
    ]) {
      assert.ok(names.includes(expected), `${expected} exists (found ${names.join(', ')})`);
    }
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700, 'the data directory');
    for (const f of files) {
      if (f.dir) assert.equal(f.mode, 0o700, `directory ${f.path} is ${f.mode.toString(8)}`);
      else if (!f.path.startsWith('units/')) assert.equal(f.mode, 0o600, `file ${f.path} is ${f.mode.toString(8)}`);
    }
  } finally {
    await node.stop();
  }
});

test('an existing data directory with loose modes is tightened at start', async () => {
  const { chmod, mkdir, writeFile } = await import('node:fs/promises');
  const dataDir = join(await mkdtemp(join(tmpdir(), 'sleet-secrets-')), 'data');
  await mkdir(dataDir, { mode: 0o755 });
  await chmod(dataDir, 0o755);
  await writeFile(join(dataDir, 'resources.json'), 'null\n', { mode: 0o644 });
  await chmod(join(dataDir, 'resources.json'), 0o644);
  const config = resolveNodeConfig({ flags: { dataDir, managementPort: 0, sipPort: 0, httpPort: 0 }, env: {} });
  const node = await SleetNode.start({ config, logger: capturingLogger().logger });
  try {
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700);
    assert.equal((await stat(join(dataDir, 'resources.json'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(dataDir, 'profiles.sqlite'))).mode & 0o777, 0o600);
  } finally {
    await node.stop();
  }
});

test('subscribers provisioned by REST, CSV import and the demo keep HA1 per algorithm, never the password, in the files or the log', async () => {
  const dataDir = join(await mkdtemp(join(tmpdir(), 'sleet-secrets-')), 'data');
  const config = resolveNodeConfig({ flags: { dataDir, managementPort: 0, sipPort: 0, httpPort: 0 }, env: {} });
  const { logger, lines } = capturingLogger();
  const node = await SleetNode.start({ config, logger });
  try {
    const client = new ManagementClient({ url: node.managementUrl, token: node.token });
    await client.profileCreate({
      table: SUBSCRIBERS_TABLE,
      name: 'dave',
      values: { address: 'sip:dave@127.0.0.1', username: 'dave', password: 'Plaintext-Dave-4711' },
    });
    await client.profileImport({
      table: SUBSCRIBERS_TABLE,
      format: 'csv',
      data: 'profileName,address,username,password\nerin,sip:erin@127.0.0.1,erin,Plaintext-Erin-4712\n',
    });
    await client.profileUpdate({ table: SUBSCRIBERS_TABLE, profile: 'erin', values: { password: 'Plaintext-Erin-4713' } });
    await provisionDemoSubscribers(node.profiles, '127.0.0.1', logger);
    const dave = (await client.profileGet({ table: SUBSCRIBERS_TABLE, profile: 'dave' })).values;
    assert.equal(dave['password'] ?? null, null, 'no password attribute value');
    assert.equal(dave['realm'], '127.0.0.1');
    assert.equal(dave['ha1Md5'], md5('dave:127.0.0.1:Plaintext-Dave-4711'));
    assert.equal(dave['ha1Sha256'], sha256('dave:127.0.0.1:Plaintext-Dave-4711'));
    const erin = (await node.profiles.getProfile(SUBSCRIBERS_TABLE, 'erin'))!.values;
    assert.equal(erin['ha1Sha256'], sha256('erin:127.0.0.1:Plaintext-Erin-4713'), 'a new password replaces the hashes');
    const bob = (await node.profiles.getProfile(SUBSCRIBERS_TABLE, 'bob'))!.values;
    assert.equal(bob['ha1Md5'], md5('bob:127.0.0.1:bob-secret'));
    await assert.rejects(
      client.profileUpdate({ table: SUBSCRIBERS_TABLE, profile: 'dave', values: { username: 'david' } }),
      /password/,
      'a new username without a new password would leave HA1s that match nothing',
    );
  } finally {
    await node.stop();
  }
  const secrets = ['Plaintext-Dave-4711', 'Plaintext-Erin-4712', 'Plaintext-Erin-4713', 'alice-secret', 'bob-secret', 'carol-secret'];
  await assertNoPlaintext(dataDir, secrets);
  const log = lines.join('');
  for (const secret of secrets) assert.equal(log.includes(secret), false, `the log holds '${secret}'`);
});

@ProfileSpec({ name: 'SubscriberProfile', vendor: 'sleet', version: '1.0' })
class PlainPasswordSubscriberProfile {
  @AddressAttr() @Unique() address!: string;
  @Unique() username!: string;
  @Attr({ required: true }) password!: string;
  @Attr() displayName?: string;
}

test('a subscribers table of an older version with plain passwords is migrated to HA1 and the plaintext leaves the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sleet-migrate-'));
  const url = join(dir, 'profiles.sqlite');
  const old = await ProfileStore.open({ url });
  await old.openTable(SUBSCRIBERS_TABLE, PlainPasswordSubscriberProfile);
  for (const user of ['frank', 'grace']) {
    await old.createProfile(SUBSCRIBERS_TABLE, user, { address: `sip:${user}@sleet.test`, username: user, password: `Old-Plaintext-${user}` });
  }
  await old.close();
  assert.equal((await readFile(url)).includes('Old-Plaintext-frank'), true, 'the old version did store it');

  const store = await ProfileStore.open({ url });
  try {
    await openTelephonyTables(store);
    const frank = (await store.getProfile(SUBSCRIBERS_TABLE, 'frank'))!.values;
    assert.equal(frank['password'] ?? null, null);
    assert.equal(frank['ha1Sha256'], sha256('frank:sleet.test:Old-Plaintext-frank'));
    assert.equal(frank['ha1Md5'], md5('frank:sleet.test:Old-Plaintext-frank'));
  } finally {
    await store.close();
  }
  await assertNoPlaintext(dir, ['Old-Plaintext-frank', 'Old-Plaintext-grace']);
});
