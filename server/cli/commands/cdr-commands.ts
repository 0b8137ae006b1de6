import { Command } from 'commander';
import { leaf } from '../leaf-command.js';
import { table } from '../output.js';
import type { CdrRecord } from '../../management/api/schemas.js';

interface CdrOptions {
  from?: string;
  to?: string;
  user?: string;
  limit?: string;
  format?: 'csv' | 'json';
}

const filter = (o: CdrOptions) => ({
  ...(o.from ? { from: o.from } : {}),
  ...(o.to ? { to: o.to } : {}),
  ...(o.user ? { user: o.user } : {}),
  ...(o.limit ? { limit: Number(o.limit) } : {}),
});

const filterOptions = (c: Command) =>
  c
    .option('--from <time>', 'calls started at or after this ISO-8601 time or epoch ms')
    .option('--to <time>', 'calls started before this time')
    .option('--user <text>', 'calls whose caller, callee or target contains this (bob, sip:bob@example.com)')
    .option('--limit <n>', 'at most this many, most recent first (default 1000)');

export function cdrCommands(): Command {
  const cdr = new Command('cdr').description('call detail records: list and export');
  leaf<CdrRecord[], CdrOptions>(
    cdr,
    'list',
    'list call detail records, most recent first',
    ({ client, options }) => client.cdrList(filter(options)),
    (rows) =>
      table(rows, [
        ['started', (c) => new Date(c.startedAt).toISOString()],
        ['caller', (c) => c.caller],
        ['callee', (c) => c.callee],
        ['target', (c) => c.target],
        ['status', (c) => c.status],
        ['end', (c) => c.endReason],
        ['duration', (c) => `${(c.durationMs / 1000).toFixed(1)} s`],
        ['service', (c) => c.service],
        ['call-id', (c) => c.callId],
      ]),
    filterOptions,
  );
  leaf<string, CdrOptions>(
    cdr,
    'export',
    'export call detail records as CSV (default) or JSON lines',
    ({ client, options }) => client.cdrExport({ ...filter(options), format: options.format ?? 'csv' }),
    (text) => text.replace(/\n$/, ''),
    (c) => filterOptions(c).option('--format <csv|json>', 'csv (default) or json'),
  );
  return cdr;
}
