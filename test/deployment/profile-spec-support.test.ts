import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ComponentId } from '../../slee/component-model/component-id.js';
import { DeploymentManager } from '../../slee/deployment/deployment-manager.js';
import type { ProfileSpecSupport } from '../../slee/deployment/profile-spec-support.js';
import { ResourceAdaptorTypeRegistry } from '../../slee/resource-adaptor/resource-adaptor-type-registry.js';
import { startCoreFixture } from '../helpers/core-fixture.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { refusal } from '../helpers/refusal.js';
import { fixtureBundle } from './fixture-bundles.js';

const spec: ComponentId = { name: 'CounterProfile', vendor: 'acme', version: '1.0' };

/** The counter bundle, whose descriptor also lists its SBB's export as a profile specification. */
async function bundleWithProfileSpec(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sleet-profile-spec-'));
  await cp((await fixtureBundle('counter-v1')).bundleDir, dir, { recursive: true });
  const path = join(dir, 'sleet-bundle.json');
  const descriptor = JSON.parse(await readFile(path, 'utf8'));
  const sbb = descriptor.components.sbbs[0];
  descriptor.components.profileSpecs = [{ ...spec, module: sbb.module, export: sbb.export }];
  await writeFile(path, JSON.stringify(descriptor));
  return dir;
}

async function install(profileSpecs: ProfileSpecSupport | undefined) {
  const core = await startCoreFixture();
  const dataDir = await mkdtemp(join(tmpdir(), 'sleet-deploy-'));
  const manager = new DeploymentManager({
    slee: core.slee,
    raTypes: new ResourceAdaptorTypeRegistry(),
    dataDir,
    logger: silentLogger(),
    ...(profileSpecs ? { profileSpecs } : {}),
  });
  await manager.install((await fixtureBundle('tick-events')).archive);
  const close = async () => {
    manager.close();
    await core.close();
  };
  return { manager, close, installing: manager.install(await bundleWithProfileSpec()) };
}

test('a bundle with a profile specification is refused by a SLEE without a profile subsystem', async () => {
  const { installing, close } = await install(undefined);
  const refused = await refusal(installing);
  assert.ok(
    (refused.details as string[]).includes('profile specification CounterProfile/acme/1.0: this SLEE has no profile subsystem to install it with'),
    String(refused.details),
  );
  await close();
});

test('the profile subsystem recognises the specification and keeps it installed while a table uses it', async () => {
  const tables: Array<{ name: string; spec: ComponentId }> = [];
  const recognised: unknown[] = [];
  const support: ProfileSpecSupport = {
    declaredId: (value) => {
      recognised.push(value);
      return spec;
    },
    listTables: () => tables,
  };
  const { manager, installing, close } = await install(support);
  const unit = await installing;
  assert.ok(unit.components.some((c) => c.kind === 'profile-spec' && c.id.name === 'CounterProfile'));
  assert.equal(manager.profileSpec(spec), recognised[0], 'the class the subsystem recognised is the one installed');
  tables.push({ name: 'counters', spec });
  const inUse = await refusal(manager.uninstall(unit.id));
  assert.deepEqual(inUse.details, ["profile table 'counters' uses profile specification CounterProfile/acme/1.0"]);
  tables.length = 0;
  await manager.uninstall(unit.id);
  assert.equal(manager.profileSpec(spec), undefined);
  await close();
});
