import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { builtInResourceAdaptorTypes } from '../../server/node/resources/built-in-resource-adaptors.js';
import { ManagementClient } from '../../server/management/client/management-client.js';
import type { ManagementNotification } from '../../server/management/api/notification-schema.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { Attr, ProfileSpec, Unique } from '../../profiles/index.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { fixtureBundle } from '../deployment/fixture-bundles.js';
import { echoType } from './management-fixture.js';

@ProfileSpec({ name: 'Subscriber', vendor: 'test', version: '1.0' })
class SubscriberProfile {
  @Attr() @Unique() msisdn!: string;
  @Attr() plan!: string;
}

async function startNode(dataDir: string): Promise<{ node: SleetNode; client: ManagementClient }> {
  const config = resolveNodeConfig({ flags: { dataDir, managementPort: 0, sipPort: 0, httpPort: 0 }, env: {} });
  const node = await SleetNode.start({ config, logger: silentLogger(), resourceAdaptorTypes: [...builtInResourceAdaptorTypes, echoType] });
  return { node, client: new ManagementClient({ url: node.managementUrl, token: node.token }) };
}

test('RA entities, link names and trace levels survive a restart on the same data directory', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sleet-node-'));
  const first = await startNode(dataDir);
  try {
    assert.equal((await stat(first.node.tokenFile)).mode & 0o777, 0o600);
    assert.equal((await readFile(first.node.tokenFile, 'utf8')).trim(), first.node.token);
    await first.client.raEntityCreate({ name: 'echo-a', type: 'echo', properties: { port: 6000 } });
    await first.client.raEntityActivate({ entity: 'echo-a' });
    await first.client.raEntityCreate({ name: 'echo-b', type: 'echo', properties: { port: 6001, host: '127.0.0.2' } });
    await first.client.raLinkBind({ link: 'echo', entity: 'echo-a' });
    await first.client.traceSet({ source: 'ra:echo-a', tracer: 'wire', level: 'FINEST' });
  } finally {
    await first.node.stop();
  }

  const second = await startNode(dataDir);
  try {
    const entities = (await second.client.raEntityList()).filter((e) => e.name.startsWith('echo-'));
    assert.deepEqual(
      entities.map((e) => [e.name, e.state, e.config]),
      [
        ['echo-a', 'ACTIVE', { host: '127.0.0.1', port: 6000, verbose: false }],
        ['echo-b', 'INACTIVE', { host: '127.0.0.2', port: 6001, verbose: false }],
      ],
    );
    assert.deepEqual(
      (await second.client.raLinkList()).filter((l) => l.link === 'echo'),
      [{ link: 'echo', entity: 'echo-a' }],
    );
    assert.equal(second.node.slee.kernel.traces.getLevel('ra:echo-a', 'wire'), 'FINEST');
    // A removal is persisted too.
    await second.client.raEntityRemove({ entity: 'echo-b' });
  } finally {
    await second.node.stop();
  }
  const third = await startNode(dataDir);
  try {
    assert.deepEqual(
      (await third.client.raEntityList()).map((e) => e.name).filter((n) => n.startsWith('echo-')),
      ['echo-a'],
    );
    assert.deepEqual(
      (await third.client.raEntityList()).filter((e) => !e.name.startsWith('echo-')).map((e) => [e.name, e.state]),
      [
        ['sip', 'ACTIVE'],
        ['http', 'ACTIVE'],
      ],
      'the default SIP and HTTP entities run on every node',
    );
  } finally {
    await third.node.stop();
  }
});

test('profile tables from a registered spec: CRUD, queries, import with progress notifications, export', async () => {
  const { node, client } = await startNode(await mkdtemp(join(tmpdir(), 'sleet-node-')));
  try {
    node.management.profileSpecs.register(SubscriberProfile);
    const specs = await client.profileSpecList();
    assert.ok(specs.includes('Subscriber:test:1.0'), specs.join(', '));
    await client.profileTableCreate({ name: 'subs', spec: 'Subscriber' });
    await client.profileCreate({ table: 'subs', name: 'alice', values: { msisdn: '447700900001', plan: 'gold' } });
    await assert.rejects(client.profileCreate({ table: 'subs', name: 'bob', values: { msisdn: '447700900001', plan: 'x' } }), (err) =>
      SleetError.is(err, ErrorCode.PROFILE_UNIQUE_VIOLATION),
    );
    await assert.rejects(client.profileGet({ table: 'subs', profile: 'nobody' }), (err) => SleetError.is(err, ErrorCode.PROFILE_NOT_FOUND));

    const progress: Array<Extract<ManagementNotification, { type: 'profile-import' }>> = [];
    const sub = await client.subscribe((n) => n.type === 'profile-import' && progress.push(n));
    const csv = 'profileName,msisdn,plan\nbob,447700900002,silver\ncarol,447800900003,gold\n';
    assert.deepEqual(await client.profileImport({ table: 'subs', format: 'csv', data: csv }), { imported: 2 });
    await client.profileUpdate({ table: 'subs', profile: 'bob', values: { plan: 'gold' } });
    const found = await client.profileFind({
      table: 'subs',
      expression: {
        op: 'and',
        operands: [
          { op: 'hasPrefix', attribute: 'msisdn', value: '4477' },
          { op: 'equals', attribute: 'plan', value: { param: 'p' } },
        ],
      },
      params: { p: 'gold' },
    });
    assert.deepEqual(found.map((p) => p.name).sort(), ['alice', 'bob']);
    assert.deepEqual(
      (await client.profileList({ table: 'subs', after: 'alice', limit: 1 })).map((p) => p.name),
      ['bob'],
    );
    const exported = await client.profileExport({ table: 'subs', format: 'json' });
    assert.deepEqual(
      (JSON.parse(exported) as Array<{ profileName: string }>).map((p) => p.profileName),
      ['alice', 'bob', 'carol'],
    );
    await client.profileTableRename({ table: 'subs', to: 'customers' });
    assert.equal((await client.profileCount({ table: 'customers' })).count, 3);
    await assert.rejects(client.profileCount({ table: 'subs' }), (err) => SleetError.is(err, ErrorCode.PROFILE_TABLE_NOT_FOUND));
    sub.close();
    assert.deepEqual(progress.map((p) => [p.table, p.done, p.total]).at(-1), ['subs', 2, 2]);
  } finally {
    await node.stop();
  }
});

test('deployable units are installed, listed and uninstalled through the client', async () => {
  const bundle = await fixtureBundle('tick-events');
  const { node, client } = await startNode(await mkdtemp(join(tmpdir(), 'sleet-node-')));
  try {
    const unit = await client.deploymentInstall({ data: await readFile(bundle.archive) });
    assert.deepEqual(
      (await client.deploymentListUnits()).map((u) => u.id),
      [unit.id],
    );
    assert.ok((await client.deploymentListComponents()).length > 0);
    assert.equal(((await client.deploymentDescriptor({ unit: unit.id })) as { unit: { name: string } }).unit.name, bundle.descriptor.unit.name);
    await assert.rejects(
      client.deploymentInstall({ data: Buffer.from('not a bundle') }),
      (err) => SleetError.is(err) && (err as SleetError & { status: number }).status === 400,
    );
    await client.deploymentUninstall({ unit: unit.id });
    assert.deepEqual(await client.deploymentListUnits(), []);
    await assert.rejects(client.deploymentUninstall({ unit: unit.id }), (err) => SleetError.is(err, ErrorCode.UNKNOWN_UNIT));
  } finally {
    await node.stop();
  }
});

test('bad configuration is refused with every problem and where it came from', () => {
  assert.throws(
    () => resolveNodeConfig({ flags: { sipPort: '70000' }, env: { SLEET_TRUSTED: '10.0.0.0/8,300.1.1.1/4', SLEET_MANAGEMENT_PORT: 'x' } }),
    (err) => {
      assert.ok(SleetError.is(err, ErrorCode.CONFIG_INVALID));
      assert.match(err.message, /--sip-port/);
      assert.match(err.message, /SLEET_TRUSTED/);
      assert.match(err.message, /SLEET_MANAGEMENT_PORT/);
      return true;
    },
  );
  const config = resolveNodeConfig({
    flags: { sipPort: '5070', domain: ['a.example'] },
    env: { SLEET_SIP_PORT: '5080', SLEET_HTTP_PORT: '8081', SLEET_DATA_DIR: '/tmp/x' },
  });
  assert.deepEqual(
    [config.sipPort, config.httpPort, config.domain, config.profilesUrl, config.managementHost],
    [5070, 8081, ['a.example'], '/tmp/x/profiles.sqlite', '127.0.0.1'],
  );
});

test('a profile store URL of a scheme Sleet does not speak is refused, not taken as an SQLite file name', async () => {
  for (const url of ['postgres://root@127.0.0.1:5432/test', 'redis://127.0.0.1:6379']) {
    assert.throws(
      () => resolveNodeConfig({ flags: { profilesUrl: url }, env: {} }),
      (err) => {
        assert.ok(SleetError.is(err, ErrorCode.CONFIG_INVALID));
        assert.match(err.message, /--profiles-url/);
        assert.match(err.message, /mysql:\/\//, 'says what is supported');
        return true;
      },
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'sleet-url-'));
  const { ProfileStore } = await import('../../profiles/storage/profile-store.js');
  await assert.rejects(ProfileStore.open({ url: 'postgres://root@127.0.0.1/test', dataDir: dir }), (err) => SleetError.is(err, ErrorCode.CONFIG_INVALID));
  const { readdir } = await import('node:fs/promises');
  assert.deepEqual(await readdir(dir), [], 'no file named like the URL was created');
  for (const url of ['mysql://root@127.0.0.1:3306/test', 'mariadb://root@127.0.0.1/test', 'sqlite:/tmp/p.sqlite', '/tmp/p.sqlite', ':memory:']) {
    assert.equal(resolveNodeConfig({ flags: { profilesUrl: url }, env: {} }).profilesUrl, url);
  }
});
