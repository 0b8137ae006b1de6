/** Makes container values (bigints, dates, frozen objects) plain JSON, as every surface shows them. */
export function toJson<T = unknown>(value: unknown): T {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null') as T;
}
