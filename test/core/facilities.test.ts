import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { UsageParameters } from '../../slee/component-model/usage-parameters.decorator.js';
import { ActivityContextNamingFacility } from '../../slee/facilities/naming/activity-context-naming-facility.js';
import { NullActivityFactory } from '../../slee/facilities/null-activity/null-activity-factory.js';
import { Usage } from '../../slee/facilities/usage/usage.js';
import { Tracer } from '../../slee/facilities/trace/tracer.js';
import { AlarmFacility } from '../../slee/facilities/alarm/alarm-facility.js';
import { SbbContext } from '../../slee/entity/sbb-context.js';
import { sbbNotificationSource } from '../../slee/facilities/notification-source.js';
import { PingEvent, PongEvent, deploy, startCoreFixture, type Ping } from '../helpers/core-fixture.js';

const notes: string[] = [];

@Service()
@UsageParameters({ counters: ['conferences'], samples: ['size'] })
@Sbb()
class ConferenceSbb {
  constructor(
    private readonly naming: ActivityContextNamingFacility,
    private readonly nulls: NullActivityFactory,
    private readonly usage: Usage,
    private readonly tracer: Tracer,
    private readonly alarms: AlarmFacility,
    private readonly ctx: SbbContext,
  ) {}

  @InitialEvent({ select: ['Address'] })
  onPing(event: Ping) {
    const existing = this.naming.lookup('conference-42');
    if (!existing) {
      const room = this.nulls.createNullActivity();
      const aci = this.nulls.getActivityContextInterface(room);
      aci.attach();
      this.naming.bind(aci, 'conference-42');
      aci.set('members', 1);
      this.usage.increment('conferences');
      this.tracer.info('conference created');
      this.alarms.raiseAlarm('conference.capacity', 'conference-42', 'WARNING', 'nearly full');
      notes.push('created');
    } else {
      const members = (existing.get<number>('members') ?? 0) + 1;
      existing.set('members', members);
      this.usage.sample('size', members);
      this.tracer.fine('joined');
      notes.push(`joined:${members}`);
      if (event.n === 99) {
        this.naming.unbind('conference-42');
        existing.detach();
        this.alarms.clearAlarm('conference.capacity', 'conference-42');
      }
    }
    this.ctx.getActivities();
  }
}

test('naming, null activities, ACI attributes, usage, trace and alarms work together', async () => {
  notes.length = 0;
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'trace' }, new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
  const { slee, ra, close } = await startCoreFixture({ logger });
  const [service] = deploy(slee, ConferenceSbb);
  const source = sbbNotificationSource(service!, { name: 'ConferenceSbb', vendor: 'sleet', version: '1.0' });
  slee.kernel.traces.setLevel(source, '', 'INFO');

  await ra.fire(ra.startActivity(), PingEvent, { n: 1 }, 'room');
  await ra.fire(ra.startActivity(), PingEvent, { n: 2 }, 'room');
  await ra.fire(ra.startActivity(), PingEvent, { n: 3 }, 'room');
  assert.deepEqual(notes, ['created', 'joined:2', 'joined:3']);
  assert.equal(slee.kernel.names.size, 1);

  const usage = slee.kernel.usage.find(source)!.snapshot();
  assert.equal(usage.counters.conferences, 1);
  assert.deepEqual({ count: usage.samples.size!.count, max: usage.samples.size!.max }, { count: 2, max: 3 });

  const traced = lines.filter((l) => l.source === source);
  assert.deepEqual(
    traced.map((l) => l.msg),
    ['conference created'],
    'FINE is below the INFO level set for the source',
  );
  assert.equal(slee.kernel.alarms.list(source).length, 1);

  await ra.fire(ra.startActivity(), PingEvent, { n: 99 }, 'room');
  await slee.idle();
  assert.equal(slee.kernel.names.size, 0);
  assert.equal(slee.kernel.alarms.list(source).length, 0, 'alarm cleared');
  assert.equal(notes.at(-1), 'joined:4');
  assert.ok(
    ![...slee.kernel.activities.keys()].some((id) => id.startsWith('slee:null-activity/')),
    'an unnamed null activity with nothing attached ends by itself',
  );
  void PongEvent;
  await close();
});

@Service()
@UsageParameters({ counters: ['known'] })
@Sbb()
class TypoSbb {
  constructor(private readonly usage: Usage) {}

  @InitialEvent()
  onPing() {
    this.usage.increment('unknown');
  }
}

test('updating an undeclared usage parameter fails with a clear error', async () => {
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, TypoSbb);
  await ra.fire(ra.startActivity(), PingEvent, { n: 1 });
  assert.match(slee.kernel.alarms.list()[0]!.message, /has no counter 'unknown' \(declare it in @UsageParameters\)/);
  await close();
});
