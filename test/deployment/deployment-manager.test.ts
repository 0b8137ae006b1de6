import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { Transaction } from '../../slee/transaction/transaction.js';
import type { ServiceState } from '../../slee/container/slee-state.js';
import { fixtureBundle } from './fixture-bundles.js';
import { TickEvent, counterV1, counterV2, rootsOf, startDeploymentFixture, type DeploymentFixture } from './deployment-fixture.js';
import { refusal } from '../helpers/refusal.js';

async function installCounter(f: DeploymentFixture, version: 'v1' | 'v2' = 'v1') {
  if (!f.manager.listUnits().some((u) => u.name === 'tick-events')) await f.manager.install((await fixtureBundle('tick-events')).archive);
  return f.manager.install((await fixtureBundle(`counter-${version}`)).archive);
}

/** A copy of a built bundle directory whose descriptor `edit` changes. */
async function editedBundle(edit: (descriptor: Record<string, any>) => void): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sleet-edited-'));
  await cp((await fixtureBundle('counter-v1')).bundleDir, dir, { recursive: true });
  const path = join(dir, 'sleet-bundle.json');
  const descriptor = JSON.parse(await readFile(path, 'utf8'));
  edit(descriptor);
  await writeFile(path, JSON.stringify(descriptor));
  return dir;
}

/** Fires a tick on a fresh activity and returns the total of the root entity it reached. */
async function tickThrough(f: DeploymentFixture, n: number) {
  const activity = f.ra.startActivity();
  assert.equal(await f.ra.fire(activity, TickEvent, { n }), false, 'no handler failed');
  return activity;
}

test('an installed and activated bundle receives events from the direct RA', async () => {
  const f = await startDeploymentFixture();
  const unit = await installCounter(f);
  assert.equal(unit.id, 'acme.counter@1.0.0');
  assert.deepEqual(unit.components.map((c) => `${c.kind}:${c.id.name}`).sort(), ['sbb:CounterSbb', 'service:CounterService']);
  assert.equal(f.slee.serviceState(counterV1), 'INACTIVE');
  f.slee.activateService(counterV1);
  const activity = await tickThrough(f, 3);
  await f.ra.fire(activity, TickEvent, { n: 4 });
  const [root] = rootsOf(f.slee, counterV1);
  assert.deepEqual(root?.cmp, { total: 7, events: 2 }, 'both ticks reached one entity, which got its RA link injected');
  assert.deepEqual(f.manager.descriptor(unit.id).dependencies, [{ kind: 'event-type', name: 'acme.Tick', vendor: 'acme', version: '1.0' }]);
  await f.close();
});

test('refused bundles list every reason and leave running services delivering', async () => {
  const f = await startDeploymentFixture();
  await installCounter(f);
  f.slee.activateService(counterV1);
  const running = f.ra.startActivity();
  await f.ra.fire(running, TickEvent, { n: 1 });

  const missing = await refusal(
    f.manager.install(
      await editedBundle((d) => {
        d.unit.name = 'counter-needs-more';
        d.components.services[0].version = '9.0';
        d.components.sbbs[0].version = '9.0';
        d.components.services[0].rootSbb.version = '9.0';
        d.components.sbbs[0].raLinks = ['direct', 'sip'];
        d.dependencies.push({ kind: 'event-type', name: 'acme.Missing', vendor: 'acme', version: '1.0' });
        d.dependencies.push({ kind: 'event-type', name: 'acme.Tick', vendor: 'acme', version: '2.0' });
      }),
    ),
  );
  assert.equal(missing.code, ErrorCode.BUNDLE_DEPENDENCY_MISSING);
  assert.deepEqual(missing.details, [
    'dependency event-type acme.Missing/acme/1.0 is not installed',
    'dependency event-type acme.Tick/acme/2.0 is not installed (installed versions: 1.0)',
    "SBB CounterSbb/acme/9.0 needs resource-adaptor link name 'sip', which is not bound",
  ]);

  const invalid = await refusal(
    f.manager.install(
      await editedBundle((d) => {
        d.format = 2;
        delete d.unit.vendor;
        d.components.sbbs[0].module = '../outside.js';
      }),
    ),
  );
  assert.equal(invalid.code, ErrorCode.BUNDLE_INVALID);
  assert.deepEqual(invalid.details, [
    'format: Invalid input: expected 1',
    'unit.vendor: Invalid input: expected string, received undefined',
    'components.sbbs.0.module: must be a relative path inside the bundle',
  ]);

  const wrongExport = await refusal(
    f.manager.install(
      await editedBundle((d) => {
        d.unit.name = 'counter-wrong-export';
        d.components.services[0].version = '8.0';
        d.components.services[0].export = 'NoSuchClass';
        d.components.sbbs[0].version = '8.0';
        d.components.services[0].rootSbb.version = '8.0';
      }),
    ),
  );
  assert.equal(wrongExport.code, ErrorCode.BUNDLE_INVALID);
  assert.deepEqual(wrongExport.details, [
    "service CounterService/acme/8.0: module lib/counter-sbb.js does not export 'NoSuchClass'",
    'SBB CounterSbb/acme/8.0: lib/counter-sbb.js#CounterSbb is CounterSbb/acme/1.0, not an @Sbb with that id',
  ]);

  const conflict = await refusal(f.manager.install((await fixtureBundle('counter-v1')).archive));
  assert.equal(conflict.code, ErrorCode.BUNDLE_VERSION_CONFLICT);
  assert.deepEqual(conflict.details, [
    'unit acme.counter@1.0.0 is already installed',
    'service CounterService/acme/1.0 is already installed by unit acme.counter@1.0.0',
    'sbb CounterSbb/acme/1.0 is already installed by unit acme.counter@1.0.0',
  ]);

  assert.deepEqual(
    f.manager.listUnits().map((u) => u.id),
    ['acme.tick-events@1.0.0', 'acme.counter@1.0.0'],
  );
  assert.deepEqual(
    f.slee.listServices().map((s) => [s.id.version, s.state]),
    [['1.0', 'ACTIVE']],
  );
  await f.ra.fire(running, TickEvent, { n: 5 });
  assert.equal(rootsOf(f.slee, counterV1)[0]?.cmp.total, 6, 'the running service still gets events');
  await f.close();
});

test('uninstall is refused while a unit is depended on or its services are not INACTIVE', async () => {
  const f = await startDeploymentFixture();
  await installCounter(f);
  f.slee.activateService(counterV1);
  const activity = await tickThrough(f, 1);

  const referenced = await refusal(f.manager.uninstall('acme.tick-events@1.0.0'));
  assert.equal(referenced.code, ErrorCode.BUNDLE_IN_USE);
  assert.deepEqual(referenced.details, ['unit acme.counter@1.0.0 depends on event-type acme.Tick/acme/1.0']);

  const active = await refusal(f.manager.uninstall('acme.counter@1.0.0'));
  assert.deepEqual(active.details, ['service CounterService/acme/1.0 is ACTIVE; deactivate it and let it drain first']);
  f.slee.deactivateService(counterV1);
  const stopping = await refusal(f.manager.uninstall('acme.counter@1.0.0'));
  assert.deepEqual(stopping.details, ['service CounterService/acme/1.0 is STOPPING; deactivate it and let it drain first']);

  f.ra.endActivity(activity);
  await f.slee.idle();
  assert.equal(f.slee.serviceState(counterV1), 'INACTIVE');
  await f.manager.uninstall('acme.counter@1.0.0');
  await f.manager.uninstall('acme.tick-events@1.0.0');
  assert.deepEqual(f.manager.listUnits(), []);
  assert.deepEqual(f.slee.listServices(), []);
  await assert.rejects(stat(join(f.dataDir, 'units', 'acme.counter@1.0.0')), /ENOENT/, 'its files are gone');
  assert.ok(SleetError.is(await refusal(f.manager.uninstall('acme.counter@1.0.0')), ErrorCode.UNKNOWN_UNIT));
  await f.close();
});

test('a versioned upgrade keeps existing activities on v1 until they end, while new ones go to v2', async () => {
  const f = await startDeploymentFixture();
  await installCounter(f, 'v1');
  await installCounter(f, 'v2');
  const transitions: string[] = [];
  f.slee.on('serviceStateChanged', ({ service, from, to }: { service: typeof counterV1; from: ServiceState; to: ServiceState }) => {
    if (service.version === '1.0') transitions.push(`${from}->${to}`);
  });
  f.slee.activateService(counterV1);
  const old = await tickThrough(f, 1);

  f.slee.deactivateAndActivate(counterV1, counterV2);
  await f.ra.fire(old, TickEvent, { n: 10 });
  const fresh = await tickThrough(f, 10);

  const services = (activity: object) => [...f.slee.kernel.activityOf(activity).attached].map((e) => e.service.id.version);
  assert.deepEqual(services(old), ['1.0'], 'only v1 is attached to the activity that started before the upgrade');
  assert.deepEqual(services(fresh), ['2.0'], 'only v2 is attached to the activity that started after it');
  const v1 = rootsOf(f.slee, counterV1);
  const v2 = rootsOf(f.slee, counterV2);
  assert.deepEqual(
    v1.map((e) => e.cmp.total),
    [11],
    'the old activity stayed on v1 (which adds n)',
  );
  assert.deepEqual(
    v2.map((e) => e.cmp.total),
    [20],
    'the new activity went to v2 (which adds 2n), and v2 has no root on the old one',
  );
  assert.equal(f.slee.serviceState(counterV1), 'STOPPING');

  f.ra.endActivity(old);
  await f.slee.idle();
  assert.equal(f.slee.serviceState(counterV1), 'INACTIVE');
  assert.deepEqual(transitions, ['INACTIVE->ACTIVE', 'ACTIVE->STOPPING', 'STOPPING->INACTIVE']);
  await f.manager.uninstall('acme.counter@1.0.0');
  await f.ra.fire(fresh, TickEvent, { n: 1 });
  assert.equal(rootsOf(f.slee, counterV2)[0]?.cmp.total, 22, 'v2 keeps running after v1 is uninstalled');
  await f.close();
});

test('after an upgrade, an activity that a v1 entity is attached to stays on v1 even though it started after the upgrade', async () => {
  const f = await startDeploymentFixture();
  await installCounter(f, 'v1');
  await installCounter(f, 'v2');
  f.slee.activateService(counterV1);
  const old = await tickThrough(f, 1);
  f.slee.deactivateAndActivate(counterV1, counterV2);

  const joined = f.ra.startActivity();
  const [v1] = rootsOf(f.slee, counterV1);
  const tx = new Transaction();
  f.slee.kernel.attach(tx, f.slee.kernel.activityOf(joined), v1!);
  await tx.commit();
  assert.equal(await f.ra.fire(joined, TickEvent, { n: 5 }), false, 'no handler failed');

  // The attached v1 root gets the tick, and v1's own initial-event selection makes the activity's root, as without an upgrade.
  assert.deepEqual(
    [...f.slee.kernel.activityOf(joined).attached].map((e) => e.service.id.version),
    ['1.0', '1.0'],
  );
  assert.deepEqual(rootsOf(f.slee, counterV2), [], 'v2 created no root on an activity that v1 is on');
  assert.equal(v1!.cmp.total, 6, 'v1 received the tick');
  f.ra.endActivity(old);
  f.ra.endActivity(joined);
  await f.slee.idle();
  assert.equal(f.slee.serviceState(counterV1), 'INACTIVE');
  await f.close();
});

test('units and service states survive a restart on the same data dir', async () => {
  const first = await startDeploymentFixture();
  await installCounter(first, 'v1');
  await installCounter(first, 'v2');
  first.slee.activateService(counterV2);
  await first.manager.flush();
  const installedAt = first.manager.listUnits().map((u) => u.installedAt);
  await first.close();

  const saved = JSON.parse(await readFile(join(first.dataDir, 'deployment.json'), 'utf8'));
  assert.deepEqual(
    saved.units.map((u: { id: string }) => u.id),
    ['acme.tick-events@1.0.0', 'acme.counter@1.0.0', 'acme.counter@2.0.0'],
  );

  const second = await startDeploymentFixture(first.dataDir);
  await second.manager.restore();
  assert.deepEqual(
    second.manager.listUnits().map((u) => u.id),
    ['acme.tick-events@1.0.0', 'acme.counter@1.0.0', 'acme.counter@2.0.0'],
  );
  assert.deepEqual(
    second.manager.listUnits().map((u) => u.installedAt),
    installedAt,
  );
  assert.equal(second.slee.serviceState(counterV1), 'INACTIVE');
  assert.equal(second.slee.serviceState(counterV2), 'ACTIVE');
  await tickThrough(second, 2);
  assert.equal(rootsOf(second.slee, counterV2)[0]?.cmp.total, 4);

  second.slee.deactivateService(counterV2);
  await second.slee.idle();
  await second.manager.flush();
  const after = JSON.parse(await readFile(join(first.dataDir, 'deployment.json'), 'utf8'));
  assert.deepEqual(
    after.units.map((u: { activeServices: unknown[] }) => u.activeServices.length),
    [0, 0, 0],
    'deactivation is persisted too',
  );
  await second.close();
});
