import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import { InMemoryStateStore } from '../../slee/store/in-memory-state-store.js';
import type { SbbEntity } from '../../slee/entity/sbb-entity.js';
import { PingEvent, deploy, startCoreFixture, type Ping } from '../helpers/core-fixture.js';

/** A store that logs what the container writes, as a clustered store would see it. */
class RecordingStore extends InMemoryStateStore {
  readonly log: string[] = [];
  override readonly entities = new (class extends Map<string, SbbEntity> {
    constructor(private readonly log: string[]) {
      super();
    }
    override set(key: string, value: SbbEntity) {
      this.log.push(`set ${key}`);
      return super.set(key, value);
    }
    override delete(key: string) {
      this.log.push(`delete ${key}`);
      return super.delete(key);
    }
  })(this.log);
}

@Service({ name: 'Recorded' })
@Sbb()
class RecordedSbb {
  @Cmp() seen = 0;

  @InitialEvent()
  onPing(_event: Ping) {
    this.seen = this.seen + 1;
  }
}

test('container state lives in the state store the SLEE is given', async () => {
  const store = new RecordingStore();
  const { slee, ra, close } = await startCoreFixture({ store });
  const [service] = deploy(slee, RecordedSbb);
  const activity = ra.startActivity();
  await ra.fire(activity, PingEvent, { n: 1 });
  const [id] = [...store.entities.keys()];
  assert.deepEqual(store.log, [`set ${id}`]);
  assert.equal(store.entities.get(id!)!.cmp.seen, 1);
  assert.equal(store.roots(`${service!.name}#${service!.vendor}#${service!.version}`).size, 1);
  assert.equal([...store.activities.values()].filter((ac) => ac.owner === 'direct').length, 1);
  ra.endActivity(activity);
  await slee.idle();
  assert.deepEqual(store.log, [`set ${id}`, `delete ${id}`]);
  assert.equal([...store.activities.values()].filter((ac) => ac.owner === 'direct').length, 0);
  await close();
});
