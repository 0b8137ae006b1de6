import type { SrvRecord } from 'node:dns';

/**
 * RFC 2782 target selection: lowest priority first; within one priority a
 * weighted random draw, one record at a time (weight 0 records stay
 * possible but are drawn last in practice). `random` returns [0, 1).
 */
export function orderSrv(records: readonly SrvRecord[], random: () => number): SrvRecord[] {
  const byPriority = new Map<number, SrvRecord[]>();
  for (const record of records) {
    const group = byPriority.get(record.priority);
    if (group === undefined) byPriority.set(record.priority, [record]);
    else group.push(record);
  }
  const ordered: SrvRecord[] = [];
  for (const priority of [...byPriority.keys()].sort((a, b) => a - b)) {
    // Zero weights first, as RFC 2782 asks, so that they get a (small) chance of coming first; then by
    // name, so that the result depends on the draw and not on the order the DNS server answered in.
    const left = byPriority
      .get(priority)!
      .sort((a, b) => (a.weight === 0 ? 0 : 1) - (b.weight === 0 ? 0 : 1) || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.port - b.port));
    while (left.length > 0) {
      const total = left.reduce((sum, r) => sum + r.weight, 0);
      const pick = random() * (total + 1);
      let running = 0;
      let index = left.findIndex((r) => (running += r.weight) >= pick);
      if (index < 0) index = left.length - 1;
      ordered.push(left.splice(index, 1)[0]!);
    }
  }
  return ordered;
}
