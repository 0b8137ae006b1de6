import { Command } from 'commander';
import { leaf } from '../leaf-command.js';
import { table } from '../output.js';
import type { AlarmRecord } from '../../management/api/schemas.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';

export function alarmCommands(): Command {
  const alarm = new Command('alarm').description('active alarms: list and clear');
  leaf<AlarmRecord[], { source?: string }>(
    alarm,
    'list',
    'list active alarms',
    ({ client, options }) => client.alarmList(options.source ? { source: options.source } : {}),
    (rows) =>
      table(rows, [
        ['id', (a) => a.id],
        ['level', (a) => a.level],
        ['source', (a) => a.source],
        ['type', (a) => a.type],
        ['instance', (a) => a.instanceId],
        ['raised', (a) => new Date(a.raisedAt).toISOString()],
        ['message', (a) => a.message],
      ]),
    (c) => c.option('--source <source>', 'only alarms of this notification source'),
  );
  leaf<{ count: number }, { source?: string; type?: string }>(
    alarm,
    'clear [id]',
    'clear an alarm by id, or those matching --source/--type',
    async ({ client, args, options }) => {
      if (args[0]) {
        await client.alarmClear({ alarm: args[0] });
        return { count: 1 };
      }
      if (!options.source && !options.type)
        throw new SleetError(ErrorCode.MANAGEMENT_INVALID_INPUT, 'give an alarm id, or --source and/or --type (or use: alarm clear-all)');
      return client.alarmClearMatching({ ...(options.source ? { source: options.source } : {}), ...(options.type ? { type: options.type } : {}) });
    },
    (r) => `cleared ${r.count} alarm${r.count === 1 ? '' : 's'}`,
    (c) => c.option('--source <source>', 'clear the alarms of this source').option('--type <type>', 'clear the alarms of this type'),
  );
  leaf(
    alarm,
    'clear-all',
    'clear every active alarm',
    ({ client }) => client.alarmClearMatching({}),
    (r) => `cleared ${r.count} alarm${r.count === 1 ? '' : 's'}`,
  );
  return alarm;
}
