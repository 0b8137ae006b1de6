import 'reflect-metadata';
import { QUERIES_KEY } from './metadata-keys.js';
import { queryBuilder, type QueryBuilder } from '../query/query-builder.js';
import type { QueryExpression } from '../query/query-expression.js';

/**
 * Declares a static query on a profile specification, e.g.
 * `@ProfileQuery('byPrefix', q => q.longestPrefixMatch('prefix', param('number')))`.
 */
export function ProfileQuery(name: string, build: (q: QueryBuilder) => QueryExpression): ClassDecorator {
  return (target) => {
    const own: Record<string, QueryExpression> = Reflect.getOwnMetadata(QUERIES_KEY, target) ?? {};
    Reflect.defineMetadata(QUERIES_KEY, { ...own, [name]: build(queryBuilder) }, target);
  };
}
