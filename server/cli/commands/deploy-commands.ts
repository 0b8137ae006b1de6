import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { leaf } from '../leaf-command.js';
import { componentText, table } from '../output.js';

interface ComponentRow {
  kind?: unknown;
  id?: { name: string; vendor: string; version: string };
  unitId?: unknown;
}

export function deployCommands(): Command {
  const deploy = new Command('deploy').description('deployable units (bundles): install, uninstall, list');
  leaf(
    deploy,
    'install <bundle>',
    'install a bundle (.tgz file)',
    async ({ client, args }) => client.deploymentInstall({ data: await readFile(args[0]!) }),
    (u) => `installed ${u.id}`,
  );
  leaf(
    deploy,
    'uninstall <unit>',
    'uninstall a deployable unit by id',
    ({ client, args }) => client.deploymentUninstall({ unit: args[0]! }),
    () => 'uninstalled',
  );
  leaf(
    deploy,
    'list',
    'list installed units',
    ({ client }) => client.deploymentListUnits(),
    (units) =>
      table(units, [
        ['id', (u) => u.id],
        ['installed', (u) => u.installedAt],
        ['components', (u) => (Array.isArray(u.components) ? u.components.length : '-')],
      ]),
  );
  leaf(
    deploy,
    'components',
    'list installed components',
    ({ client }) => client.deploymentListComponents(),
    (rows) =>
      table(rows as ComponentRow[], [
        ['kind', (c) => c.kind],
        ['id', (c) => componentText(c.id ?? null)],
        ['unit', (c) => c.unitId],
      ]),
  );
  leaf(
    deploy,
    'descriptor <unit>',
    'show the bundle descriptor of a unit',
    ({ client, args }) => client.deploymentDescriptor({ unit: args[0]! }),
    (d) => JSON.stringify(d, null, 2),
  );
  return deploy;
}
