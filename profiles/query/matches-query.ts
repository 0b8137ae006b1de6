import { types } from 'node:util';
import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import { operandValue, type QueryParams } from './compile-query.js';
import type { QueryExpression } from './query-expression.js';
import { attributeOf } from '../specification/attribute-of.js';

function comparable(v: unknown): string | number | bigint | boolean {
  return types.isDate(v) ? v.getTime() : (v as string | number | bigint | boolean);
}

/**
 * Evaluates a query against one profile's values with the same semantics as
 * the SQL (null never compares). Only used for a transaction's own uncommitted
 * writes, which the database has not seen yet. longestPrefixMatch matches any
 * prefix here; the caller keeps the longest.
 */
export function matchesQuery(spec: ProfileSpecificationModel, expr: QueryExpression, values: Readonly<Record<string, unknown>>, params: QueryParams): boolean {
  switch (expr.op) {
    case 'and':
      return expr.operands.every((o) => matchesQuery(spec, o, values, params));
    case 'or':
      return expr.operands.some((o) => matchesQuery(spec, o, values, params));
    case 'not':
      return !matchesQuery(spec, expr.operand, values, params);
  }
  const attr = attributeOf(spec, expr.attribute)!;
  const raw = values[attr.name];
  const v = raw === undefined || raw === null ? null : comparable(raw);
  if (expr.op === 'range') {
    const from = comparable(operandValue(attr, expr.from, params, false));
    const to = comparable(operandValue(attr, expr.to, params, false));
    return v !== null && v >= from && v <= to;
  }
  const operand = operandValue(attr, expr.value, params, expr.op === 'equals' || expr.op === 'notEquals');
  if (operand === null) return expr.op === 'equals' ? v === null : v !== null;
  if (v === null) return false;
  const o = comparable(operand);
  switch (expr.op) {
    case 'equals':
      return v === o;
    case 'notEquals':
      return v !== o;
    case 'lessThan':
      return v < o;
    case 'lessThanOrEquals':
      return v <= o;
    case 'greaterThan':
      return v > o;
    case 'greaterThanOrEquals':
      return v >= o;
    case 'hasPrefix':
      return (v as string).startsWith(o as string);
    case 'longestPrefixMatch':
      return (o as string).startsWith(v as string) && (v as string).length > 0;
  }
}
