import { Table, TableIndex, type DataSource } from 'typeorm';
import type { Cdr, CdrQuery } from './cdr.js';
import { CDR_COLUMNS } from './cdr-columns.js';

const CDR_TABLE = 'sleet_cdrs';

/** Creates `sleet_cdrs` in the profiles database when it is missing (SQLite and MySQL alike, through TypeORM's schema API). */
export async function ensureCdrTable(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    if (await runner.hasTable(CDR_TABLE)) return;
    const text = (name: string, nullable = false) => ({ name, type: 'varchar', length: '255', isNullable: nullable });
    const time = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
    await runner.createTable(
      new Table({
        name: CDR_TABLE,
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          text('callId'),
          text('caller'),
          text('callee'),
          text('target', true),
          text('service', true),
          time('startedAt'),
          time('answeredAt', true),
          time('endedAt'),
          time('durationMs'),
          { name: 'status', type: 'integer' },
          { name: 'endReason', type: 'varchar', length: '32' },
          text('node'),
          text('entity'),
        ],
      }),
      true,
    );
    await runner.createIndex(CDR_TABLE, new TableIndex({ name: 'sleet_cdrs_started', columnNames: ['startedAt'] }));
  } finally {
    await runner.release();
  }
}

/** One multi-row INSERT with named columns and placeholders, which SQLite and MySQL read alike. */
export async function insertCdrs(dataSource: DataSource, cdrs: readonly Cdr[]): Promise<void> {
  if (cdrs.length === 0) return;
  const row = `(${CDR_COLUMNS.map(() => '?').join(', ')})`;
  const sql = `INSERT INTO ${CDR_TABLE} (${CDR_COLUMNS.join(', ')}) VALUES ${cdrs.map(() => row).join(', ')}`;
  await dataSource.query(
    sql,
    cdrs.flatMap((c) => CDR_COLUMNS.map((column) => c[column])),
  );
}

/** Records by start time, most recent first. */
export async function queryCdrs(dataSource: DataSource, query: CdrQuery): Promise<Cdr[]> {
  const builder = dataSource.createQueryBuilder().select('*').from(CDR_TABLE, 'c');
  if (query.from !== undefined) builder.andWhere('c.startedAt >= :from', { from: query.from });
  if (query.to !== undefined) builder.andWhere('c.startedAt < :to', { to: query.to });
  if (query.user !== undefined && query.user !== '') {
    // '!' escapes: a backslash means different things in MySQL and SQLite string literals.
    const like = `%${query.user.replace(/[!%_]/g, (c) => `!${c}`)}%`;
    builder.andWhere("(c.caller LIKE :like ESCAPE '!' OR c.callee LIKE :like ESCAPE '!' OR c.target LIKE :like ESCAPE '!')", { like });
  }
  builder
    .orderBy('c.startedAt', 'DESC')
    .addOrderBy('c.id', 'DESC')
    .limit(query.limit ?? 1000);
  const rows: Array<Record<string, unknown>> = await builder.getRawMany();
  return rows.map(fromRow);
}

/** MySQL returns BIGINT as text (bigNumberStrings): numbers again here. */
function fromRow(row: Record<string, unknown>): Cdr {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    callId: String(row.callId),
    caller: String(row.caller),
    callee: String(row.callee),
    target: str(row.target),
    service: str(row.service),
    startedAt: Number(row.startedAt),
    answeredAt: num(row.answeredAt),
    endedAt: Number(row.endedAt),
    durationMs: Number(row.durationMs),
    status: Number(row.status),
    endReason: String(row.endReason) as Cdr['endReason'],
    node: String(row.node),
    entity: String(row.entity),
  };
}
