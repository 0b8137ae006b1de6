import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import type { AttributeModel } from '../specification/attribute-model.js';
import { checkValue } from '../storage/value-validation.js';
import { toColumn } from '../storage/column-codec.js';
import { checkQuery } from './check-query.js';
import { isQueryParam, type QueryExpression, type QueryOperand } from './query-expression.js';
import { attributeOf } from '../specification/attribute-of.js';

export type QueryParams = Readonly<Record<string, unknown>>;

/** SQL for a query: a WHERE clause, its parameters, and an ORDER/LIMIT when it picks the longest prefix. */
export interface CompiledQuery {
  readonly where: string;
  readonly params: unknown[];
  /** Set by longestPrefixMatch: order by this SQL descending and keep one row. */
  readonly longestFirst?: string;
}

const COMPARATORS = {
  equals: '=',
  notEquals: '<>',
  lessThan: '<',
  lessThanOrEquals: '<=',
  greaterThan: '>',
  greaterThanOrEquals: '>=',
} as const;

function invalid(message: string, details: Record<string, unknown>): SleetError {
  return new SleetError(ErrorCode.PROFILE_QUERY_INVALID, message, { details });
}

function resolve(operand: QueryOperand, params: QueryParams): unknown {
  if (!isQueryParam(operand)) return operand;
  if (!(operand.param in params)) throw invalid(`query parameter '${operand.param}' was not supplied`, { param: operand.param });
  return params[operand.param];
}

/** Resolves an operand and checks it fits the attribute; null only where `nullable`. */
export function operandValue(attr: AttributeModel, operand: QueryOperand, params: QueryParams, nullable: boolean): unknown {
  const v = resolve(operand, params);
  if (v === null || v === undefined) {
    if (nullable) return null;
    throw invalid(`query operand for '${attr.name}' must not be null`, { attribute: attr.name });
  }
  const problem = checkValue({ ...attr, array: false, length: undefined }, v);
  if (problem) throw invalid(`query operand for '${attr.name}' ${problem}`, { attribute: attr.name });
  return v;
}

/** The smallest string greater than every string starting with `prefix`, by code point. */
function prefixUpperBound(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length > 0) {
    const cp = points.pop()!.codePointAt(0)!;
    if (cp < 0x10ffff) {
      const next = cp + 1 === 0xd800 ? 0xe000 : cp + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}

/** Every non-empty prefix of `value`, longest first. */
function prefixesOf(value: string): string[] {
  const points = [...value];
  const out: string[] = [];
  for (let n = points.length; n > 0; n--) out.push(points.slice(0, n).join(''));
  return out;
}

/**
 * Compiles a query to SQL over the profile table's columns. Every operator is
 * a plain comparison on the attribute's column so the attribute's index serves
 * it; hasPrefix becomes a range, longestPrefixMatch an IN over all prefixes.
 */
export function compileQuery(spec: ProfileSpecificationModel, expr: QueryExpression, params: QueryParams, quote: (id: string) => string): CompiledQuery {
  checkQuery(spec, expr);
  const sqlParams: unknown[] = [];
  let longestFirst: string | undefined;
  const attrOf = (name: string) => attributeOf(spec, name)!;
  const bind = (attr: AttributeModel, v: unknown) => {
    sqlParams.push(toColumn(attr, v));
    return '?';
  };
  const visit = (e: QueryExpression): string => {
    switch (e.op) {
      case 'and':
      case 'or':
        return `(${e.operands.map(visit).join(e.op === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${visit(e.operand)})`;
      case 'range': {
        const attr = attrOf(e.attribute);
        const col = quote(attr.name);
        const from = operandValue(attr, e.from, params, false);
        const to = operandValue(attr, e.to, params, false);
        return `(${col} >= ${bind(attr, from)} AND ${col} <= ${bind(attr, to)})`;
      }
      case 'hasPrefix': {
        const attr = attrOf(e.attribute);
        const col = quote(attr.name);
        const prefix = operandValue(attr, e.value, params, false) as string;
        const upper = prefixUpperBound(prefix);
        const lower = `${col} >= ${bind(attr, prefix)}`;
        return upper === undefined ? `(${lower})` : `(${lower} AND ${col} < ${bind(attr, upper)})`;
      }
      case 'longestPrefixMatch': {
        const attr = attrOf(e.attribute);
        const col = quote(attr.name);
        const value = operandValue(attr, e.value, params, false) as string;
        longestFirst = `LENGTH(${col})`;
        const prefixes = prefixesOf(value);
        if (prefixes.length === 0) return '(1 = 0)';
        return `(${col} IN (${prefixes.map((p) => bind(attr, p)).join(', ')}))`;
      }
      default: {
        const attr = attrOf(e.attribute);
        const col = quote(attr.name);
        const nullable = e.op === 'equals' || e.op === 'notEquals';
        const v = operandValue(attr, e.value, params, nullable);
        if (v === null) return `(${col} IS ${e.op === 'equals' ? '' : 'NOT '}NULL)`;
        return `(${col} ${COMPARATORS[e.op]} ${bind(attr, v)})`;
      }
    }
  };
  const where = visit(expr);
  return { where, params: sqlParams, ...(longestFirst ? { longestFirst } : {}) };
}
