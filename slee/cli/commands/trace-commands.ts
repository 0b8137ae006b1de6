import { Command } from 'commander';
import type { TraceLevelRecord } from '../../management/api/schemas.js';
import { traceLevelSchema } from '../../management/api/schemas.js';
import { leaf } from '../leaf-command.js';
import { table } from '../output.js';

const levels = (rows: TraceLevelRecord[]) => table(rows, [['source', (t) => t.source], ['tracer', (t) => t.tracer || '(root)'], ['level', (t) => t.level]]);

export function traceCommands(): Command {
  const trace = new Command('trace').description('trace levels per notification source and tracer');
  leaf(trace, 'list', 'list configured trace levels', ({ client }) => client.traceList(), levels);
  leaf(trace, 'get <source> [tracer]', 'show the level in force for a tracer', ({ client, args }) => client.traceGet({ source: args[0]!, tracer: args[1] ?? '' }), (t) => levels([t]));
  leaf(
    trace,
    'set <source> <tracer> <level>',
    `set a tracer's level (${traceLevelSchema.options.join(', ')}); tracer '' is the root`,
    ({ client, args }) => client.traceSet({ source: args[0]!, tracer: args[1]!, level: args[2]!.toUpperCase() as TraceLevelRecord['level'] }),
    (t) => levels([t]),
  );
  return trace;
}
