import 'reflect-metadata';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import { SbbContext } from '../../slee/entity/sbb-context.js';
import type { SbbContextImpl } from '../../slee/entity/sbb-context-impl.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import type { TransactionParticipant } from '../../slee/transaction/transaction-participant.js';
import { ProfileSpec } from '../../profiles/specification/profile-spec-decorator.js';
import { Attr } from '../../profiles/specification/attr-decorator.js';
import { ProfileStore } from '../../profiles/storage/profile-store.js';
import { ProfileFacility } from '../../profiles/facility/profile-facility.js';
import { profileFacilityBinding } from '../../profiles/slee/profile-facility-binding.js';
import { sqliteDriver } from '../../profiles/storage/sqlite-driver.js';
import { PingEvent, PongEvent, deploy, startCoreFixture, type Ping } from '../helpers/core-fixture.js';
import { MARIADB_URL, mariadbBackend, sqliteBackend, uniqueTableName, type ProfileBackend } from './profile-backends.js';

@ProfileSpec({ name: 'Counter', vendor: 'test', version: '1.0', writable: true })
class CounterProfile {
  @Attr() count!: number;
}

/** The profile table the SBBs below use; each test sets it. */
let table = '';
const seen: string[] = [];

/** Holds every reader until `expected` of them arrived, so their transactions overlap. */
class Barrier {
  private arrived = 0;
  private open!: () => void;
  private readonly opened = new Promise<void>((resolve) => (this.open = resolve));
  constructor(private readonly expected: number) {}
  arrive(): Promise<void> {
    if (++this.arrived === this.expected) this.open();
    return this.opened;
  }
}
let barrier = new Barrier(1);

@Service()
@Sbb()
class IncrementSbb {
  constructor(private readonly profiles: ProfileFacility) {}

  @InitialEvent({ select: ['ActivityContext'] })
  async onPing() {
    const counter = await this.profiles.get<{ count: number }>(table, 'shared');
    await barrier.arrive();
    await this.profiles.set(table, 'shared', { count: counter!.values.count + 1 });
  }
}

/** A participant the test slips into the SBB's transaction, after the profile writes. */
let extraParticipant: TransactionParticipant | undefined;

@Service()
@Sbb()
class ChargeSbb {
  @Cmp() charged = 0;

  constructor(
    private readonly ctx: SbbContext,
    private readonly profiles: ProfileFacility,
  ) {}

  @InitialEvent({ select: ['ActivityContext'] })
  async onPing(event: Ping, aci: ActivityContextInterface) {
    seen.push(`ping${event.n}:charged=${this.charged}`);
    const counter = await this.profiles.get<{ count: number }>(table, 'shared');
    await this.profiles.set(table, 'shared', { count: counter!.values.count + 1 });
    this.charged = this.charged + 1;
    this.ctx.fireEvent(PongEvent, { n: event.n }, aci);
    if (extraParticipant) (this.ctx as SbbContextImpl).tx!.enlist(extraParticipant);
  }

  onPong(event: Ping) {
    seen.push(`pong${event.n}`);
  }
}

const require = createRequire(import.meta.url);
type SqliteDatabase = { prepare(sql: string): { get(...p: unknown[]): unknown }; exec(sql: string): void; close(): void };
type SqliteConstructor = new (file: string, options?: { readonly?: boolean }) => SqliteDatabase;

/** A second connection to the store's database, outside the store: it sees committed data only. */
interface SideConnection {
  count(sqlTable: string): Promise<number | undefined>;
  close(): Promise<void>;
}

async function sideConnection(backend: ProfileBackend): Promise<SideConnection> {
  if (backend.name === 'SQLite') {
    const Database = (sqliteDriver() ?? require('better-sqlite3')) as SqliteConstructor;
    const db = new Database(backend.url, { readonly: true });
    return {
      // Synchronous: the value is what the database holds at the very moment of the call.
      count: (sqlTable) => {
        const row = db.prepare(`SELECT count FROM "${sqlTable}" WHERE sleet_profile_name = 'shared'`).get() as { count: number } | undefined;
        return Promise.resolve(row?.count);
      },
      close: async () => db.close(),
    };
  }
  const conn = await mysql.createConnection(MARIADB_URL);
  await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  return {
    count: async (sqlTable) => {
      const [rows] = await conn.query(`SELECT count FROM \`${sqlTable}\` WHERE sleet_profile_name = 'shared'`);
      return (rows as Array<{ count: number }>)[0]?.count;
    },
    close: () => conn.end(),
  };
}

/**
 * Makes the database refuse the commit of the next profile write, for real:
 * on SQLite a deferred foreign key that an update trigger violates (checked
 * at COMMIT); on MariaDB the writing connection is killed between the write
 * and its commit. Returns a function that removes the sabotage.
 */
async function failNextCommit(backend: ProfileBackend, store: ProfileStore): Promise<() => Promise<void>> {
  const sqlTable = store.tableInfo(table).sqlTable;
  const tag = uniqueTableName('sleet_t_sabotage').toLowerCase();
  if (backend.name === 'SQLite') {
    await store.dataSource.query(`CREATE TABLE ${tag}_parent (id TEXT PRIMARY KEY)`);
    await store.dataSource.query(`CREATE TABLE ${tag}_child (ref TEXT REFERENCES ${tag}_parent(id) DEFERRABLE INITIALLY DEFERRED)`);
    await store.dataSource.query(`CREATE TRIGGER ${tag}_trg AFTER UPDATE ON "${sqlTable}" BEGIN INSERT INTO ${tag}_child VALUES ('missing'); END`);
    return async () => {
      await store.dataSource.query(`DROP TRIGGER ${tag}_trg`);
      await store.dataSource.query(`DROP TABLE ${tag}_child`);
      await store.dataSource.query(`DROP TABLE ${tag}_parent`);
    };
  }
  // The trigger records which connection writes; a READ UNCOMMITTED reader learns it before the commit.
  const admin = await mysql.createConnection(MARIADB_URL);
  await admin.query('SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED');
  await admin.query(`CREATE TABLE ${tag}_conn (id BIGINT) ENGINE=InnoDB`);
  await admin.query(`CREATE TRIGGER ${tag}_trg AFTER UPDATE ON \`${sqlTable}\` FOR EACH ROW INSERT INTO ${tag}_conn VALUES (CONNECTION_ID())`);
  extraParticipant = {
    async prepare() {
      const [rows] = await admin.query(`SELECT id FROM ${tag}_conn`);
      const id = (rows as Array<{ id: unknown }>)[0]?.id;
      assert.ok(id !== undefined, 'the profile write ran before this participant prepared');
      await admin.query(`KILL CONNECTION ${Number(id)}`);
    },
    commit() {},
    rollback() {},
  };
  return async () => {
    extraParticipant = undefined;
    await admin.query(`DROP TRIGGER ${tag}_trg`);
    await admin.query(`DROP TABLE ${tag}_conn`);
    await admin.end();
  };
}

function suite(backend: ProfileBackend): void {
  test(`profile writes take part in the SLEE commit on ${backend.name}`, async (t) => {
    const opened = await backend.open();
    if (!(opened instanceof ProfileStore)) {
      t.skip(opened.unavailable);
      return;
    }
    const store = opened;
    const created: string[] = [];
    const newCounterTable = async () => {
      table = uniqueTableName('commit');
      created.push(table);
      await store.createTable(table, CounterProfile);
      await store.createProfile(table, 'shared', { count: 0 });
    };
    t.after(async () => {
      for (const name of created) if (store.hasTable(name)) await store.removeTable(name).catch(() => undefined);
      await store.close();
      backend.cleanup();
    });

    await t.test('two concurrent read-modify-writes of one profile lose no update', async () => {
      await newCounterTable();
      barrier = new Barrier(2);
      const { slee, ra, close } = await startCoreFixture({ facilities: [profileFacilityBinding(store)] });
      try {
        deploy(slee, IncrementSbb);
        const failed = await Promise.all([ra.fire(ra.startActivity(), PingEvent, { n: 1 }), ra.fire(ra.startActivity(), PingEvent, { n: 2 })]);
        await slee.idle();
        const count = (await store.getProfile(table, 'shared'))!.values.count;
        const rolledBack = failed.filter(Boolean).length;
        assert.ok(
          count === 2 || (count === 1 && rolledBack === 1),
          `lost update: count is ${count} after two increments, ${rolledBack} transaction(s) rolled back`,
        );
        if (count === 1) {
          const alarm = slee.kernel.alarms.list().find((a) => a.type === 'sleet.sbb.event-handler-failed');
          assert.match(alarm?.message ?? '', /changed since this transaction read it/, 'the loser names the conflict');
        }
      } finally {
        await close();
      }
    });

    await t.test('when the SLEE reports a commit, the profile write is in the database', async () => {
      await newCounterTable();
      seen.length = 0;
      const side = await sideConnection(backend);
      const sqlTable = store.tableInfo(table).sqlTable;
      let atCommit: Promise<number | undefined> | undefined;
      extraParticipant = {
        commit() {
          atCommit = side.count(sqlTable);
        },
        rollback() {},
      };
      const { slee, ra, close } = await startCoreFixture({ facilities: [profileFacilityBinding(store)] });
      try {
        deploy(slee, ChargeSbb);
        assert.equal(await ra.fire(ra.startActivity(), PingEvent, { n: 1 }), false);
        assert.ok(atCommit, 'the transaction committed');
        assert.equal(await atCommit, 1, 'another connection sees the write at the moment the SLEE commits');
      } finally {
        extraParticipant = undefined;
        await close();
        await side.close();
      }
    });
    await t.test('a database commit failure rolls the delivery back and raises an alarm', async () => {
      await newCounterTable();
      seen.length = 0;
      const { slee, ra, close } = await startCoreFixture({ facilities: [profileFacilityBinding(store)] });
      const restore = await failNextCommit(backend, store);
      try {
        deploy(slee, ChargeSbb);
        const activity = ra.startActivity();
        const failed = await ra.fire(activity, PingEvent, { n: 1 });
        await slee.idle();
        await restore();
        assert.equal(failed, true, 'the delivery whose database commit failed is reported as failed');
        assert.deepEqual(seen, ['ping1:charged=0'], 'the event fired in the failed transaction was not delivered');
        const alarm = slee.kernel.alarms.list().find((a) => a.type === 'sleet.profiles.commit-failed');
        assert.ok(alarm, `an alarm names the failed commit; alarms: ${JSON.stringify(slee.kernel.alarms.list().map((a) => a.type))}`);
        assert.equal(alarm.level, 'MAJOR');
        assert.equal((await store.getProfile(table, 'shared'))!.values.count, 0, 'the write is not in the database');

        assert.equal(await ra.fire(activity, PingEvent, { n: 2 }), false, 'the store works again once the database accepts commits');
        await slee.idle();
        assert.deepEqual(seen, ['ping1:charged=0', 'ping2:charged=0', 'pong2'], 'CMP is as the last commit left it');
        assert.equal((await store.getProfile(table, 'shared'))!.values.count, 1);
      } finally {
        extraParticipant = undefined;
        await close();
      }
    });
  });
}

suite(sqliteBackend());
suite(mariadbBackend());
