import { hostname } from 'node:os';
import type { Clock } from '../../base/clock/clock.js';
import type { Logger } from 'pino';
import type { ProfileStore } from '../../profiles/storage/profile-store.js';
import type { AlarmRegistry } from '../../slee/facilities/alarm/alarm-registry.js';
import type { MetricRegistry } from '../../slee/facilities/metrics/metric-registry.js';
import type { CdrSource } from '../management/cdr-management.js';
import { ensureCdrTable, queryCdrs } from './cdr-table.js';
import { CdrWriter } from './cdr-writer.js';

export interface AccountingOptions {
  profiles: ProfileStore;
  alarms: AlarmRegistry;
  logger: Logger;
  metrics?: MetricRegistry;
  /** The node named in the records; default the host name. */
  node?: string;
  /** Times the writer's flushes and retries; default its own. */
  clock?: Clock;
}

/** Call detail records in the profiles database (`sleet_cdrs`): the writer the SIP observer feeds, and the source management reads. */
export async function startAccounting(options: AccountingOptions): Promise<{ writer: CdrWriter; source: CdrSource }> {
  const dataSource = options.profiles.dataSource;
  await ensureCdrTable(dataSource);
  const writer = new CdrWriter({
    dataSource,
    node: options.node ?? hostname(),
    alarms: options.alarms,
    logger: options.logger.child({ component: 'accounting' }),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const metrics = options.metrics;
  if (metrics) {
    metrics.register({ name: 'sleet_cdrs_written_total', help: 'Call detail records written to the database', type: 'counter' }, () => [
      { value: writer.written },
    ]);
    metrics.register(
      { name: 'sleet_cdrs_dropped_total', help: 'Call detail records dropped because the buffer overflowed while the database was away', type: 'counter' },
      () => [{ value: writer.dropped }],
    );
    metrics.register({ name: 'sleet_cdr_backlog', help: 'Call detail records waiting to be written', type: 'gauge' }, () => [{ value: writer.backlog }]);
  }
  return { writer, source: { query: (filter) => queryCdrs(dataSource, filter) } };
}
