import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import type { ServiceStartedEvent } from '../../slee/activity/service-started-event.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { deploy, startCoreFixture } from '../helpers/core-fixture.js';

const started: string[] = [];

@Service({ name: 'SetUp' })
@Sbb()
class SetUpSbb {
  @InitialEvent()
  onServiceStarted(event: ServiceStartedEvent, aci: ActivityContextInterface) {
    started.push(`${event.service.name}@${event.service.version}`);
    aci.detach();
  }
}

@Service({ name: 'Bystander' })
@Sbb()
class BystanderSbb {
  @InitialEvent()
  onServiceStarted(event: ServiceStartedEvent) {
    started.push(`bystander saw ${event.service.name}`);
  }
}

test('a service is told once, alone, when it becomes active in a running SLEE, and again after a restart', async () => {
  started.length = 0;
  const { slee, close } = await startCoreFixture();
  deploy(slee, SetUpSbb, BystanderSbb);
  await slee.idle();
  assert.deepEqual(started.sort(), ['SetUp@1.0', 'bystander saw Bystander'].sort());
  assert.equal(slee.kernel.entities.size, 1, 'the SBB that detached is gone; the other stays on its service activity');
  started.length = 0;
  await slee.stop();
  await slee.start();
  await slee.idle();
  assert.deepEqual(started.sort(), ['SetUp@1.0', 'bystander saw Bystander'].sort());
  slee.deactivateService({ name: 'Bystander', vendor: 'sleet', version: '1.0' });
  await slee.idle();
  assert.equal(slee.serviceState({ name: 'Bystander', vendor: 'sleet', version: '1.0' }), 'INACTIVE', 'its service activity ended, so it drained');
  await close();
});
