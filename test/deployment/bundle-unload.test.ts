import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { componentKey } from '../../slee/component-model/component-id.js';
import { fixtureBundle } from './fixture-bundles.js';
import { TickEvent, counterV1, startDeploymentFixture, type DeploymentFixture } from './deployment-fixture.js';

const gc = (globalThis as { gc?: () => void }).gc;

/** Runs the service once and returns weak references to its class and module exports only. */
async function deployRunAndRemove(f: DeploymentFixture): Promise<{ sbbClass: WeakRef<object>; unitId: string }> {
  const unit = await f.manager.install((await fixtureBundle('counter-v1')).archive);
  f.slee.activateService(counterV1);
  const activity = f.ra.startActivity();
  await f.ra.fire(activity, TickEvent, { n: 1 });
  const runtime = f.slee.kernel.services.get(componentKey(counterV1));
  assert.ok(runtime, 'the service is deployed');
  const sbbClass = new WeakRef<object>(runtime.model.root.ctor);
  f.ra.endActivity(activity);
  f.slee.deactivateService(counterV1);
  await f.slee.idle();
  return { sbbClass, unitId: unit.id };
}

test("an uninstalled bundle's classes are garbage-collected", { skip: gc ? false : 'needs node --expose-gc (test/run-tests.mjs passes it)' }, async () => {
  const f = await startDeploymentFixture();
  await f.manager.install((await fixtureBundle('tick-events')).archive);
  const { sbbClass, unitId } = await deployRunAndRemove(f);
  assert.equal(f.slee.serviceState(counterV1), 'INACTIVE');
  assert.ok(sbbClass.deref(), 'still alive while installed');

  await f.manager.uninstall(unitId);
  for (let i = 0; i < 10 && sbbClass.deref(); i++) {
    await tick();
    gc!();
  }
  assert.equal(sbbClass.deref(), undefined, 'nothing in the SLEE keeps the uninstalled SBB class alive');
  await f.close();
});
