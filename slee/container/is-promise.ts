import { types } from 'node:util';

/**
 * Whether a value is a promise of any realm. A bundle's async handlers
 * return promises of the bundle's own realm, which `instanceof Promise`
 * does not recognise; the node's own promises take the fast path.
 */
export function isPromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise || (typeof value === 'object' && value !== null && types.isPromise(value));
}
