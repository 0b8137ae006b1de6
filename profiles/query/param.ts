import type { QueryParam } from './query-expression.js';

/** A named query parameter: `q.equals('address', param('address'))`. */
export function param(name: string): QueryParam {
  return { param: name };
}
