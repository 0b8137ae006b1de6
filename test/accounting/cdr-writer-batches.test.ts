import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { AlarmRegistry } from '../../slee/facilities/alarm/alarm-registry.js';
import { createDataSource } from '../../profiles/storage/create-data-source.js';
import { ensureCdrTable } from '../../server/accounting/cdr-table.js';
import { CdrWriter } from '../../server/accounting/cdr-writer.js';
import { FakeClock } from '../../base/clock/fake-clock.js';
import type { CallRecord } from '../../resource-adaptors/sip/stack/call-record.js';

const nextTurn = () => new Promise((r) => setImmediate(r));

function call(n: number): CallRecord {
  return {
    callId: `call-${n}`,
    caller: 'sip:alice@example.com',
    callee: 'sip:bob@example.com',
    target: null,
    service: null,
    startedAt: 1000 + n,
    answeredAt: null,
    endedAt: 2000 + n,
    durationMs: 0,
    status: 486,
    endReason: 'rejected',
  };
}

test('call records ending on different turns within the flush interval share one INSERT, and each is written once', async (t) => {
  const dataSource = createDataSource({ url: ':memory:' });
  await dataSource.initialize();
  t.after(() => dataSource.destroy());
  await ensureCdrTable(dataSource);
  const inserts: number[] = [];
  const query = dataSource.query.bind(dataSource);
  dataSource.query = ((sql: string, parameters?: unknown[]) => {
    if (sql.startsWith('INSERT INTO sleet_cdrs')) inserts.push(sql.split('), (').length);
    return query(sql, parameters);
  }) as typeof dataSource.query;
  const writer = new CdrWriter({ dataSource, node: 'n1', alarms: new AlarmRegistry(), logger: pino({ level: 'silent' }), flushMs: 200 });

  // Calls end one at a time, as under load: each on its own event-loop turn.
  for (let n = 0; n < 5; n++) {
    writer.record(call(n), 'sip');
    await nextTurn();
  }
  await writer.idle();

  assert.deepEqual(inserts, [5], 'one INSERT of five rows, not one commit per call');
  const rows: Array<{ callId: string }> = await query('SELECT callId FROM sleet_cdrs ORDER BY callId');
  assert.deepEqual(
    rows.map((r) => r.callId),
    ['call-0', 'call-1', 'call-2', 'call-3', 'call-4'],
  );
  assert.equal(writer.written, 5);
  assert.equal(writer.backlog, 0);

  writer.record(call(5), 'sip');
  await writer.close();
  assert.deepEqual(inserts, [5, 1], 'closing writes what is still waiting');
});

test("the flush interval is on the writer's clock: records wait for it, whatever the wall clock does", async (t) => {
  const dataSource = createDataSource({ url: ':memory:' });
  await dataSource.initialize();
  t.after(() => dataSource.destroy());
  await ensureCdrTable(dataSource);
  const clock = new FakeClock();
  const writer = new CdrWriter({ dataSource, node: 'n1', alarms: new AlarmRegistry(), logger: pino({ level: 'silent' }), flushMs: 100, clock });
  const written = async () => ((await dataSource.query('SELECT COUNT(*) AS n FROM sleet_cdrs')) as Array<{ n: number }>)[0]!.n;

  writer.record(call(0), 'sip');
  writer.record(call(1), 'sip');
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(await written(), 0, 'the wall clock passed the interval, the writer clock did not');
  clock.advance(99);
  await nextTurn();
  assert.equal(await written(), 0);
  clock.advance(1);
  await writer.idle();
  assert.equal(await written(), 2);
  assert.equal(writer.written, 2);
  await writer.close();
});
