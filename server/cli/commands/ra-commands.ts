import { Command } from 'commander';
import type { ManagementClient } from '../../management/client/management-client.js';
import type { RaEntityInfo } from '../../management/api/schemas.js';
import { leaf } from '../leaf-command.js';
import { componentText, table } from '../output.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';

const entities = (rows: RaEntityInfo[]) =>
  table(rows, [
    ['entity', (e) => e.name],
    ['type', (e) => componentText(e.type)],
    ['state', (e) => e.state],
    ['activities', (e) => e.activities],
    ['config', (e) => e.config],
  ]);

const collect = (value: string, previous: string[] = []) => [...previous, value];
const withProps = (c: Command) => c.option('--prop <key=value>', 'a configuration property (repeatable)', collect, []);

/** Turns `k=v` pairs into properties typed as the RA type declares them. */
async function properties(client: ManagementClient, typeRef: string | null, pairs: string[]): Promise<Record<string, string | number | boolean>> {
  const declared = new Map<string, string>();
  if (typeRef) {
    const [name, vendor, version] = typeRef.split(':');
    const type = (await client.raTypeList()).find((t) => t.id.name === name && (!vendor || t.id.vendor === vendor) && (!version || t.id.version === version));
    for (const p of type?.configProperties ?? []) declared.set(p.name, p.type);
  }
  const out: Record<string, string | number | boolean> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new SleetError(ErrorCode.MANAGEMENT_INVALID_INPUT, `--prop expects key=value, got '${pair}'`);
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    const kind = declared.get(key);
    out[key] = kind === 'number' ? Number(raw) : kind === 'boolean' ? raw === 'true' : raw;
  }
  return out;
}

export function raCommands(): Command {
  const ra = new Command('ra').description('resource adaptors: types, entities and link names');
  leaf(
    ra,
    'types',
    'list resource-adaptor types and their configuration properties',
    ({ client }) => client.raTypeList(),
    (rows) =>
      table(rows, [
        ['type', (t) => componentText(t.id)],
        ['properties', (t) => t.configProperties.map((p) => `${p.name}:${p.type}${p.default !== undefined ? `=${p.default}` : ''}`).join(' ')],
      ]),
  );
  leaf(ra, 'list', 'list resource-adaptor entities', ({ client }) => client.raEntityList(), entities);
  leaf(
    ra,
    'show <entity>',
    'show one entity',
    ({ client, args }) => client.raEntityGet({ entity: args[0]! }),
    (e) => entities([e]),
  );
  leaf<RaEntityInfo, { prop: string[] }>(
    ra,
    'create <type> <name>',
    'create an entity of a type (then activate it)',
    async ({ client, args, options }) =>
      client.raEntityCreate({ type: args[0]!, name: args[1]!, properties: await properties(client, args[0]!, options.prop) }),
    (e) => entities([e]),
    withProps,
  );
  leaf(
    ra,
    'activate <entity>',
    'activate an entity',
    ({ client, args }) => client.raEntityActivate({ entity: args[0]! }),
    (e) => entities([e]),
  );
  leaf(
    ra,
    'deactivate <entity>',
    'deactivate an entity',
    ({ client, args }) => client.raEntityDeactivate({ entity: args[0]! }),
    (e) => entities([e]),
  );
  leaf<RaEntityInfo, { prop: string[] }>(
    ra,
    'reconfigure <entity>',
    'change configuration properties of an entity',
    async ({ client, args, options }) => {
      const current = await client.raEntityGet({ entity: args[0]! });
      const type = current.type ? componentText(current.type) : null;
      return client.raEntityReconfigure({ entity: args[0]!, properties: await properties(client, type, options.prop) });
    },
    (e) => entities([e]),
    withProps,
  );
  leaf(
    ra,
    'remove <entity>',
    'remove an inactive entity',
    ({ client, args }) => client.raEntityRemove({ entity: args[0]! }),
    () => 'removed',
  );
  leaf(
    ra,
    'links',
    'list link names',
    ({ client }) => client.raLinkList(),
    (rows) =>
      table(rows, [
        ['link', (l) => l.link],
        ['entity', (l) => l.entity],
      ]),
  );
  leaf(
    ra,
    'bind <link> <entity>',
    'bind a link name to an entity',
    ({ client, args }) => client.raLinkBind({ link: args[0]!, entity: args[1]! }),
    (l) => `bound ${l.link} → ${l.entity}`,
  );
  leaf(
    ra,
    'unbind <link>',
    'unbind a link name',
    ({ client, args }) => client.raLinkUnbind({ link: args[0]! }),
    () => 'unbound',
  );
  return ra;
}
