import { Command } from 'commander';
import type { UsageSnapshotRecord, UsageThresholdRecord } from '../../management/api/schemas.js';
import { leaf } from '../leaf-command.js';
import { table } from '../output.js';

const snapshot = (s: UsageSnapshotRecord) =>
  table(
    [
      ...Object.entries(s.counters).map(([name, value]) => ({ name, kind: 'counter', value: String(value) })),
      ...Object.entries(s.samples).map(([name, v]) => ({ name, kind: 'sample', value: `count=${v.count} min=${v.min} max=${v.max} mean=${v.mean}` })),
    ],
    [
      ['parameter', (r) => r.name],
      ['kind', (r) => r.kind],
      ['value', (r) => r.value],
    ],
  );
const thresholds = (rows: UsageThresholdRecord[]) =>
  table(rows, [
    ['id', (t) => t.id],
    ['source', (t) => t.source],
    ['set', (t) => t.set || '(default)'],
    ['counter', (t) => t.counter],
    ['threshold', (t) => t.threshold],
  ]);
const withSet = (c: Command) => c.option('--set <name>', 'a named usage parameter set (default: the unnamed one)');

export function usageCommands(): Command {
  const usage = new Command('usage').description('usage parameters: sets, values, reset, thresholds');
  leaf(
    usage,
    'list',
    'list usage parameter sets',
    ({ client }) => client.usageList(),
    (rows) =>
      table(rows, [
        ['source', (s) => s.source],
        ['set', (s) => s.set || '(default)'],
      ]),
  );
  leaf<UsageSnapshotRecord, { set?: string }>(
    usage,
    'get <source>',
    'show the counters and samples of a set',
    ({ client, args, options }) => client.usageGet({ source: args[0]!, set: options.set ?? '' }),
    snapshot,
    withSet,
  );
  leaf<UsageSnapshotRecord, { set?: string }>(
    usage,
    'reset <source>',
    'reset a set',
    ({ client, args, options }) => client.usageReset({ source: args[0]!, set: options.set ?? '' }),
    snapshot,
    withSet,
  );
  leaf(usage, 'thresholds', 'list usage thresholds', ({ client }) => client.usageThresholdList(), thresholds);
  leaf<UsageThresholdRecord, { set?: string }>(
    usage,
    'threshold <source> <counter> <value>',
    'notify when a counter reaches a value',
    ({ client, args, options }) => client.usageThresholdSet({ source: args[0]!, set: options.set ?? '', counter: args[1]!, threshold: Number(args[2]) }),
    (t) => thresholds([t]),
    withSet,
  );
  leaf(
    usage,
    'remove-threshold <id>',
    'remove a usage threshold',
    ({ client, args }) => client.usageThresholdRemove({ threshold: args[0]! }),
    () => 'removed',
  );
  return usage;
}
