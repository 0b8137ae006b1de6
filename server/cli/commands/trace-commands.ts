import { Command } from 'commander';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import type { MessageTraceStatus, TraceLevelRecord } from '../../management/api/schemas.js';
import { traceLevelSchema } from '../../management/api/schemas.js';
import { leaf } from '../leaf-command.js';
import { fields, table } from '../output.js';

const levels = (rows: TraceLevelRecord[]) =>
  table(rows, [
    ['source', (t) => t.source],
    ['tracer', (t) => t.tracer || '(root)'],
    ['level', (t) => t.level],
  ]);

export function traceCommands(): Command {
  const trace = new Command('trace').description('trace levels per notification source and tracer');
  leaf(trace, 'list', 'list configured trace levels', ({ client }) => client.traceList(), levels);
  leaf(
    trace,
    'get <source> [tracer]',
    'show the level in force for a tracer',
    ({ client, args }) => client.traceGet({ source: args[0]!, tracer: args[1] ?? '' }),
    (t) => levels([t]),
  );
  leaf(
    trace,
    'set <source> <tracer> <level>',
    `set a tracer's level (${traceLevelSchema.options.join(', ')}); tracer '' is the root`,
    ({ client, args }) => client.traceSet({ source: args[0]!, tracer: args[1]!, level: args[2]!.toUpperCase() as TraceLevelRecord['level'] }),
    (t) => levels([t]),
  );
  leaf<MessageTraceStatus, { file?: string | boolean; format?: 'pcapng' | 'hep' }>(
    trace,
    'messages [scope] [who]',
    'the SIP message trace: show it, or switch it: off | all | user <user> | call <call-id>; to the log, or --file [name] (pcap-ng, or --format hep)',
    ({ client, args, options }) => {
      const [scope, who] = args;
      if (scope === undefined) return client.messageTraceGet();
      if (!['off', 'all', 'user', 'call'].includes(scope))
        throw new SleetError(ErrorCode.MANAGEMENT_INVALID_INPUT, `unknown scope '${scope}': off, all, user <user> or call <call-id>`);
      const file =
        options.file === undefined
          ? {}
          : {
              output: 'file' as const,
              ...(typeof options.file === 'string' ? { file: options.file } : {}),
              ...(options.format ? { format: options.format } : {}),
            };
      return client.messageTraceSet({
        scope: scope as MessageTraceStatus['scope'],
        ...(scope === 'user' && who !== undefined ? { user: who } : {}),
        ...(scope === 'call' && who !== undefined ? { callId: who } : {}),
        ...file,
      });
    },
    (s) => fields({ ...s, startedAt: s.startedAt === null ? null : new Date(s.startedAt).toISOString() }),
    (c) =>
      c
        .option('--file [name]', 'write to a file under <data-dir>/traces instead of the log')
        .option('--format <pcapng|hep>', 'the file format: pcapng (default) or hep (HEP-ready JSON lines)'),
  );
  return trace;
}
