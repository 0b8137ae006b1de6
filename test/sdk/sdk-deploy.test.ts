import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { deployBundle } from '../../sdk/deploy/deploy-bundle.js';
import { fixtureBundle } from '../deployment/fixture-bundles.js';
import { silentLogger } from '../helpers/silent-logger.js';

test('sleet-sdk deploy installs and activates a bundle through the REST API, then upgrades it', async (t) => {
  const config = resolveNodeConfig({
    flags: { dataDir: await mkdtemp(join(tmpdir(), 'sleet-sdk-deploy-')), sipPort: 0, httpPort: 0, managementPort: 0 },
    env: {},
  });
  const node = await SleetNode.start({ config, logger: silentLogger() });
  t.after(() => node.stop());
  const [v1, v2] = await Promise.all([fixtureBundle('sip-uas-v1'), fixtureBundle('sip-uas-v2')]);
  const target = { url: node.managementUrl, token: node.token };

  const first = await deployBundle(v1.archive, { ...target, activate: true });
  assert.equal(first.unit.id, 'acme.sip-uas@1.0.0');
  assert.deepEqual(first.activated, ['AnsweringService:acme:1.0']);
  assert.equal(node.slee.serviceState({ name: 'AnsweringService', vendor: 'acme', version: '1.0' }), 'ACTIVE');

  const second = await deployBundle(v2.archive, { ...target, upgrade: 'AnsweringService:acme:1.0' });
  assert.deepEqual(second.activated, ['AnsweringService:acme:2.0']);
  assert.equal(node.slee.serviceState({ name: 'AnsweringService', vendor: 'acme', version: '2.0' }), 'ACTIVE');
  assert.equal(node.slee.serviceState({ name: 'AnsweringService', vendor: 'acme', version: '1.0' }), 'INACTIVE', 'no call was up: v1 drained at once');

  await assert.rejects(deployBundle(v1.archive, { ...target, token: 'wrong-token-wrong-token' }), /401|unauthori[sz]ed|token/i);
});
