/** The value of column `name` on the last line of a SIPp `-trace_stat` CSV (`;`-separated, header first). */
export function lastColumn(csv: string, name: string): number {
  const { header, last } = lastRecord(csv);
  const index = header.indexOf(name);
  if (index < 0) throw new Error(`SIPp statistics have no column '${name}'`);
  return Number(last[index]);
}

/** The header's column names and the last line's values of a `-trace_stat` CSV. */
function lastRecord(csv: string): { header: string[]; last: string[] } {
  const lines = csv.trim().split('\n');
  return { header: lines[0]!.split(';'), last: lines[lines.length - 1]!.split(';') };
}

/** The cumulative successful and failed call counters of the last statistics line. */
export function finalCounts(csv: string): { successful: number; failed: number } {
  return { successful: lastColumn(csv, 'SuccessfulCall(C)'), failed: lastColumn(csv, 'FailedCall(C)') };
}

/** Counters beside the Failed* ones that tell how a failure came about. */
const SYMPTOMS = ['Retransmissions', 'OutOfCallMsgs', 'DeadCallMsgs'];

/**
 * How calls failed: every cumulative `Failed<Kind>(C)` counter of the last
 * statistics line that is not zero (FailedCall itself, the total, aside),
 * and the retransmissions and stray messages SIPp counted, by kind without
 * the prefix: `{ MaxUDPRetrans: 1, Retransmissions: 7 }`.
 */
export function failureKinds(csv: string): Record<string, number> {
  const { header, last } = lastRecord(csv);
  const kinds: Record<string, number> = {};
  header.forEach((column, i) => {
    const counter = /^(.+)\(C\)$/.exec(column)?.[1];
    if (counter === undefined || counter === 'FailedCall') return;
    const kind = counter.startsWith('Failed') ? counter.slice('Failed'.length) : SYMPTOMS.includes(counter) ? counter : undefined;
    const value = Number(last[i]);
    if (kind !== undefined && value > 0) kinds[kind] = value;
  });
  return kinds;
}

/**
 * Response times in ms from a `-trace_rtt` CSV. The column is found by its
 * header (`response_time_ms`): SIPp 3.6 writes `Date_ms;response_time_ms;rtd_no`,
 * other versions add a seconds column, and a fixed index read the rtd number.
 */
export function responseTimes(csv: string): number[] {
  return responseTimeline(csv).map((r) => r.ms);
}

/** The same with when each was measured (`Date_ms`, ms on SIPp's clock; NaN when the trace has no such column). */
export function responseTimeline(csv: string): Array<{ atMs: number; ms: number }> {
  const [header, ...lines] = csv.trim().split('\n');
  const columns = (header ?? '').split(';');
  const column = columns.indexOf('response_time_ms');
  if (column < 0) throw new Error(`SIPp response-time trace has no response_time_ms column: ${header ?? ''}`);
  const date = columns.indexOf('Date_ms');
  const times: Array<{ atMs: number; ms: number }> = [];
  for (const line of lines) {
    const fields = line.split(';');
    const value = fields[column];
    if (value === undefined || value === '' || !Number.isFinite(Number(value))) continue;
    times.push({ atMs: date < 0 ? NaN : Number(fields[date]), ms: Number(value) });
  }
  return times;
}
