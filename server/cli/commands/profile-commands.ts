import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Command } from 'commander';
import type { ProfileRecordOut, ProfileTableRecord } from '../../management/api/schemas.js';
import { leaf } from '../leaf-command.js';
import { fields, table } from '../output.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';

const tables = (rows: ProfileTableRecord[]) =>
  table(rows, [
    ['table', (t) => t.name],
    ['spec', (t) => t.spec],
    ['attributes', (t) => t.attributes.map((a) => a.name).join(',')],
    ['queries', (t) => t.queries.join(',')],
  ]);
const profiles = (rows: ProfileRecordOut[]) =>
  table(rows, [
    ['profile', (p) => p.name],
    ['values', (p) => p.values],
  ]);

const collect = (value: string, previous: string[] = []) => [...previous, value];
const withSet = (c: Command) => c.option('--set <attr=json>', 'an attribute value, as JSON or plain text (repeatable)', collect, []);
const withFormat = (c: Command) => c.option('--format <csv|json>', 'file format (default: from the file extension, else json)');

/** `attr=value`, the value read as JSON when it parses (numbers, booleans, arrays), else as text. */
function values(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new SleetError(ErrorCode.MANAGEMENT_INVALID_INPUT, `expected attr=value, got '${pair}'`);
    const raw = pair.slice(eq + 1);
    try {
      out[pair.slice(0, eq)] = JSON.parse(raw);
    } catch {
      out[pair.slice(0, eq)] = raw;
    }
  }
  return out;
}

function formatOf(option: string | undefined, file: string): 'csv' | 'json' {
  const format = option ?? (extname(file).toLowerCase() === '.csv' ? 'csv' : 'json');
  if (format !== 'csv' && format !== 'json') throw new SleetError(ErrorCode.MANAGEMENT_INVALID_INPUT, `--format must be csv or json, got '${format}'`);
  return format;
}

export function profileCommands(): Command {
  const profile = new Command('profile').description('profile tables, profiles, queries, import and export');
  leaf(
    profile,
    'specs',
    'list profile specifications',
    ({ client }) => client.profileSpecList(),
    (rows) => (rows.length ? rows.join('\n') : '(none)'),
  );
  leaf(profile, 'tables', 'list profile tables', ({ client }) => client.profileTableList(), tables);
  leaf(
    profile,
    'table <table>',
    'show a profile table',
    ({ client, args }) => client.profileTableGet({ table: args[0]! }),
    (t) => tables([t]),
  );
  leaf(
    profile,
    'create-table <table> <spec>',
    'create a table from a profile specification',
    ({ client, args }) => client.profileTableCreate({ name: args[0]!, spec: args[1]! }),
    (t) => tables([t]),
  );
  leaf(
    profile,
    'remove-table <table>',
    'remove a table and its profiles',
    ({ client, args }) => client.profileTableRemove({ table: args[0]! }),
    () => 'removed',
  );
  leaf(
    profile,
    'rename-table <table> <to>',
    'rename a table',
    ({ client, args }) => client.profileTableRename({ table: args[0]!, to: args[1]! }),
    (t) => tables([t]),
  );
  leaf<ProfileRecordOut[], { after?: string; limit?: string }>(
    profile,
    'list <table>',
    'list profiles in name order',
    ({ client, args, options }) =>
      client.profileList({ table: args[0]!, ...(options.after ? { after: options.after } : {}), ...(options.limit ? { limit: Number(options.limit) } : {}) }),
    profiles,
    (c) => c.option('--after <name>', 'start after this profile name').option('--limit <n>', 'page size (default 100)'),
  );
  leaf(
    profile,
    'count <table>',
    'count the profiles of a table',
    ({ client, args }) => client.profileCount({ table: args[0]! }),
    (c) => String(c.count),
  );
  leaf(
    profile,
    'get <table> <profile>',
    'show a profile',
    ({ client, args }) => client.profileGet({ table: args[0]!, profile: args[1]! }),
    (p) => fields({ profile: p.name, ...p.values }),
  );
  leaf<ProfileRecordOut, { set: string[] }>(
    profile,
    'create <table> <profile>',
    'create a profile',
    ({ client, args, options }) => client.profileCreate({ table: args[0]!, name: args[1]!, values: values(options.set) }),
    (p) => fields({ profile: p.name, ...p.values }),
    withSet,
  );
  leaf<ProfileRecordOut, { set: string[] }>(
    profile,
    'update <table> <profile>',
    'change attributes of a profile',
    ({ client, args, options }) => client.profileUpdate({ table: args[0]!, profile: args[1]!, values: values(options.set) }),
    (p) => fields({ profile: p.name, ...p.values }),
    withSet,
  );
  leaf(
    profile,
    'remove <table> <profile>',
    'remove a profile',
    ({ client, args }) => client.profileRemove({ table: args[0]!, profile: args[1]! }),
    () => 'removed',
  );
  leaf<ProfileRecordOut[], { param: string[] }>(
    profile,
    'query <table> <query>',
    "run a static query of the table's specification",
    ({ client, args, options }) =>
      client.profileQuery({ table: args[0]!, query: args[1]!, params: values(options.param) as Record<string, string | number | boolean | null> }),
    profiles,
    (c) => c.option('--param <name=value>', 'a query parameter (repeatable)', collect, []),
  );
  leaf(
    profile,
    'find <table> <expression>',
    'run a dynamic query given as JSON, e.g. \'{"op":"hasPrefix","attribute":"msisdn","value":"4478"}\'',
    ({ client, args }) => client.profileFind({ table: args[0]!, expression: JSON.parse(args[1]!) }),
    profiles,
  );
  leaf<{ imported: number }, { format?: string }>(
    profile,
    'import <table> <file>',
    'import profiles from a CSV or JSON file (all or nothing)',
    async ({ client, args, options }) =>
      client.profileImport({ table: args[0]!, format: formatOf(options.format, args[1]!), data: await readFile(args[1]!, 'utf8') }),
    (r) => `imported ${r.imported} profiles`,
    withFormat,
  );
  leaf<string, { format?: string; output?: string }>(
    profile,
    'export <table>',
    'export a table as CSV or JSON (to stdout, or --output)',
    async ({ client, args, options }) => {
      const text = await client.profileExport({ table: args[0]!, format: formatOf(options.format, options.output ?? '') });
      if (!options.output) return text;
      await writeFile(options.output, text);
      return `written to ${options.output}`;
    },
    (text) => text.replace(/\n$/, ''),
    (c) => withFormat(c).option('--output <file>', 'write to a file'),
  );
  return profile;
}
