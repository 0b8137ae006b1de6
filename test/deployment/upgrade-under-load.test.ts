import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Slee } from '../../slee/container/slee.js';
import { DeploymentManager } from '../../slee/deployment/deployment-manager.js';
import { ResourceAdaptorTypeRegistry } from '../../slee/resource-adaptor/resource-adaptor-type-registry.js';
import { componentKey } from '../../slee/component-model/component-id.js';
import { sbbNotificationSource } from '../../slee/facilities/notification-source.js';
import { SipResourceAdaptor } from '../../resource-adaptors/sip/ra/sip-resource-adaptor.js';
import { freePort, runSipp, sippSkipReason } from '../sip/interop/sipp-runner.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { fixtureBundle } from './fixture-bundles.js';

const V1 = { name: 'AnsweringService', vendor: 'acme', version: '1.0' };
const V2 = { name: 'AnsweringService', vendor: 'acme', version: '2.0' };

const gc = (globalThis as { gc?: () => void }).gc;

function usage(slee: Slee, service: typeof V1): { answered: number; ended: number; strays: number } {
  const source = sbbNotificationSource(service, { name: 'AnsweringSbb', vendor: 'acme', version: service.version });
  const counters = slee.kernel.usage.find(source)?.snapshot().counters ?? {};
  return { answered: counters.answered ?? 0, ended: counters.ended ?? 0, strays: counters.strays ?? 0 };
}

test(
  'a versioned upgrade under SIPp call load: no failed call, old calls finish on the old version, which is then collected',
  { skip: sippSkipReason() ?? (gc ? false : 'needs node --expose-gc') },
  async (t) => {
    const [v1, v2] = await Promise.all([fixtureBundle('sip-uas-v1'), fixtureBundle('sip-uas-v2')]);
    const logger = silentLogger();
    const slee = new Slee({ logger });
    const port = await freePort();
    await slee.createResourceAdaptorEntity('sip', new SipResourceAdaptor(), { host: '127.0.0.1', port, transports: 'udp' });
    slee.bindLinkName('sip', 'sip');
    await slee.activateResourceAdaptorEntity('sip');
    await slee.start();
    const deployment = new DeploymentManager({
      slee,
      raTypes: new ResourceAdaptorTypeRegistry(),
      dataDir: await mkdtemp(join(tmpdir(), 'sleet-upgrade-')),
      logger,
    });
    t.after(async () => {
      deployment.close();
      if (slee.state === 'RUNNING') await slee.stop();
    });

    await deployment.install(v1.archive);
    slee.activateService(V1);
    const v1Class = new WeakRef<object>(slee.kernel.services.get(componentKey(V1))!.model.root.ctor);
    // Calls of 3 s each, 25 new ones a second: about 75 are up at the upgrade.
    const calls = 100;
    const load = runSipp({ scenario: { builtin: 'uac' }, port: await freePort(), remote: `127.0.0.1:${port}`, calls, extraArgs: ['-r', '25', '-d', '3000'] });

    await sleep(2000);
    await deployment.install(v2.archive);
    slee.deactivateAndActivate(V1, V2);
    const atUpgrade = usage(slee, V1);
    assert.equal(slee.serviceState(V1), 'STOPPING', 'v1 drains while its calls are up');
    assert.ok(atUpgrade.answered - atUpgrade.ended > 0, `calls were in progress on v1 at the upgrade (${JSON.stringify(atUpgrade)})`);

    const run = await load;
    await slee.idle();
    assert.equal(run.exitCode, 0, run.errors);
    assert.equal(run.successful, calls);
    assert.equal(run.failed, 0);
    const old = usage(slee, V1);
    const fresh = usage(slee, V2);
    assert.equal(old.answered, atUpgrade.answered, 'no new call went to v1 after the upgrade');
    assert.equal(old.ended, old.answered, 'every call answered by v1 ended on v1');
    assert.equal(fresh.strays, 0, 'v2 saw no BYE of a call that v1 answered');
    assert.equal(old.strays, 0, 'v1 saw no BYE of a call that v2 answered');
    assert.equal(fresh.ended, fresh.answered);
    assert.equal(old.answered + fresh.answered, calls);
    assert.ok(fresh.answered > 0);
    assert.equal(slee.serviceState(V1), 'INACTIVE', 'v1 passed through STOPPING to INACTIVE');
    await deployment.uninstall(DeploymentManager.unitId({ name: 'sip-uas', vendor: 'acme', version: '1.0.0' } as never));
    for (let i = 0; i < 10 && v1Class.deref(); i++) {
      await sleep(0);
      gc!();
    }
    assert.equal(v1Class.deref(), undefined, 'nothing keeps the drained and uninstalled v1 alive');
  },
);
