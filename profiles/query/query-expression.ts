import { types } from 'node:util';
/** A named placeholder in a static or dynamic query, bound when the query runs. */
export interface QueryParam {
  readonly param: string;
}

/** A literal value or a parameter reference. */
export type QueryOperand = QueryParam | string | number | boolean | bigint | Date | null;

type ComparisonOperator = 'equals' | 'notEquals' | 'lessThan' | 'lessThanOrEquals' | 'greaterThan' | 'greaterThanOrEquals' | 'hasPrefix' | 'longestPrefixMatch';

/** The JSLEE profile query operators as a serialisable tree (stored in the table catalogue). */
export type QueryExpression =
  | { readonly op: ComparisonOperator; readonly attribute: string; readonly value: QueryOperand }
  | { readonly op: 'range'; readonly attribute: string; readonly from: QueryOperand; readonly to: QueryOperand }
  | { readonly op: 'and' | 'or'; readonly operands: readonly QueryExpression[] }
  | { readonly op: 'not'; readonly operand: QueryExpression };

export function isQueryParam(value: unknown): value is QueryParam {
  return typeof value === 'object' && value !== null && !types.isDate(value) && typeof (value as QueryParam).param === 'string';
}
