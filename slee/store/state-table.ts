/**
 * A keyed table of container state. `Map` is the in-memory one; a clustered
 * store (Redis) implements the same operations over its own keys.
 */
export interface StateTable<K, V> extends Iterable<[K, V]> {
  readonly size: number;
  get(key: K): V | undefined;
  has(key: K): boolean;
  set(key: K, value: V): unknown;
  delete(key: K): boolean;
  keys(): IterableIterator<K>;
  values(): IterableIterator<V>;
  entries(): IterableIterator<[K, V]>;
}
