import type { DataSource } from 'typeorm';

/**
 * The few places where SQLite and MySQL/MariaDB spell the same thing
 * differently. Behaviour is identical; only SQL text differs.
 */
export interface SqlDialect {
  readonly kind: 'sqlite' | 'mysql';
  quote(identifier: string): string;
  /** Reads a BIGINT column as decimal text, since drivers lose precision above 2^53 otherwise. */
  bigintAsText(columnSql: string): string;
  /** Binary, case-sensitive collation for string columns (SQLite's default already is). */
  readonly stringCollation?: string;
  isUniqueViolation(err: unknown): boolean;
  /** Suffix of a SELECT that locks the rows it reads until commit (none on SQLite, whose writer holds the database). */
  readonly forUpdate: string;
}

function driverCode(err: unknown): unknown {
  const e = err as { driverError?: { code?: unknown }; code?: unknown };
  return e?.driverError?.code ?? e?.code;
}

export function dialectFor(dataSource: DataSource): SqlDialect {
  const quote = (id: string) => dataSource.driver.escape(id);
  if (dataSource.options.type === 'better-sqlite3') {
    return {
      kind: 'sqlite',
      quote,
      bigintAsText: (c) => `CAST(${c} AS TEXT)`,
      isUniqueViolation: (err) => /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(String(driverCode(err))),
      forUpdate: '',
    };
  }
  return {
    kind: 'mysql',
    quote,
    bigintAsText: (c) => `CAST(${c} AS CHAR)`,
    stringCollation: 'utf8mb4_bin',
    isUniqueViolation: (err) => driverCode(err) === 'ER_DUP_ENTRY',
    forUpdate: ' FOR UPDATE',
  };
}
