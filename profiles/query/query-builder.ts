import type { QueryExpression, QueryOperand } from './query-expression.js';

/** Builds query expressions with JSLEE's operators; used by `@ProfileQuery` and dynamic queries. */
export interface QueryBuilder {
  equals(attribute: string, value: QueryOperand): QueryExpression;
  notEquals(attribute: string, value: QueryOperand): QueryExpression;
  lessThan(attribute: string, value: QueryOperand): QueryExpression;
  lessThanOrEquals(attribute: string, value: QueryOperand): QueryExpression;
  greaterThan(attribute: string, value: QueryOperand): QueryExpression;
  greaterThanOrEquals(attribute: string, value: QueryOperand): QueryExpression;
  /** Inclusive at both ends, as JSLEE's RangeMatch. */
  range(attribute: string, from: QueryOperand, to: QueryOperand): QueryExpression;
  /** Attribute value starts with the operand. */
  hasPrefix(attribute: string, value: QueryOperand): QueryExpression;
  /** The profile whose attribute is the longest prefix of the operand (at most one result). */
  longestPrefixMatch(attribute: string, value: QueryOperand): QueryExpression;
  and(...operands: QueryExpression[]): QueryExpression;
  or(...operands: QueryExpression[]): QueryExpression;
  not(operand: QueryExpression): QueryExpression;
}

export const queryBuilder: QueryBuilder = {
  equals: (attribute, value) => ({ op: 'equals', attribute, value }),
  notEquals: (attribute, value) => ({ op: 'notEquals', attribute, value }),
  lessThan: (attribute, value) => ({ op: 'lessThan', attribute, value }),
  lessThanOrEquals: (attribute, value) => ({ op: 'lessThanOrEquals', attribute, value }),
  greaterThan: (attribute, value) => ({ op: 'greaterThan', attribute, value }),
  greaterThanOrEquals: (attribute, value) => ({ op: 'greaterThanOrEquals', attribute, value }),
  range: (attribute, from, to) => ({ op: 'range', attribute, from, to }),
  hasPrefix: (attribute, value) => ({ op: 'hasPrefix', attribute, value }),
  longestPrefixMatch: (attribute, value) => ({ op: 'longestPrefixMatch', attribute, value }),
  and: (...operands) => ({ op: 'and', operands }),
  or: (...operands) => ({ op: 'or', operands }),
  not: (operand) => ({ op: 'not', operand }),
};
