import { createHash } from 'node:crypto';
import { Table, TableColumn, TableIndex } from 'typeorm';
import type { AttributeModel } from '../specification/attribute-model.js';
import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import { PROFILE_NAME_COLUMN, PROFILE_VERSION_COLUMN } from '../specification/scan-profile-specification.js';
import type { SqlDialect } from './sql-dialect.js';

/** Column definition for one attribute; identical column types on every backend. */
export function attributeColumn(attr: AttributeModel, dialect: SqlDialect): TableColumn {
  let type: string;
  let length: string | undefined;
  if (attr.array || attr.kind === 'json') type = 'text';
  else if (attr.kind === 'string' || attr.kind === 'enum') {
    // Indexed strings need a bounded length (MySQL cannot index TEXT).
    if (attr.indexed || attr.length !== undefined || attr.kind === 'enum') {
      type = 'varchar';
      length = String(attr.length ?? 255);
    } else type = 'text';
  } else if (attr.kind === 'number') type = 'double';
  else if (attr.kind === 'boolean') type = 'tinyint';
  else type = 'bigint'; // bigint, and date as epoch milliseconds
  const isString = type === 'varchar' || type === 'text';
  return new TableColumn({
    name: attr.name,
    type,
    ...(length !== undefined ? { length } : {}),
    isNullable: true,
    ...(isString && dialect.stringCollation ? { collation: dialect.stringCollation } : {}),
  });
}

/** Index names must be unique per database on SQLite and short on MySQL, so derive them from a hash. */
export function attributeIndex(sqlTable: string, attr: AttributeModel): TableIndex {
  const hash = createHash('sha1').update(`${sqlTable}.${attr.name}`).digest('hex').slice(0, 12);
  return new TableIndex({
    name: `${attr.unique ? 'ux' : 'ix'}_${attr.name.slice(0, 40)}_${hash}`,
    columnNames: [attr.name],
    isUnique: attr.unique,
  });
}

export function profileTableSchema(sqlTable: string, spec: ProfileSpecificationModel, dialect: SqlDialect): Table {
  return new Table({
    name: sqlTable,
    columns: [
      new TableColumn({
        name: PROFILE_NAME_COLUMN,
        type: 'varchar',
        length: '255',
        isPrimary: true,
        isNullable: false,
        ...(dialect.stringCollation ? { collation: dialect.stringCollation } : {}),
      }),
      new TableColumn({ name: PROFILE_VERSION_COLUMN, type: 'bigint', isNullable: false, default: 0 }),
      ...spec.attributes.map((a) => attributeColumn(a, dialect)),
    ],
    indices: spec.attributes.filter((a) => a.indexed).map((a) => attributeIndex(sqlTable, a)),
  });
}
