import { Command } from 'commander';
import { leaf } from '../leaf-command.js';
import { componentText, fields, table } from '../output.js';

export function entityCommands(): Command {
  const entity = new Command('entity').description('SBB entities: inspect one, list those of a service');
  leaf(
    entity,
    'show <id>',
    'show an SBB entity: CMP fields, children, attachments, priority, service',
    ({ client, args }) => client.entityGet({ entity: args[0]! }),
    (e) =>
      fields({
        entity: e.id,
        sbb: componentText(e.sbb),
        service: componentText(e.service),
        parent: e.parent,
        relation: e.relation,
        convergence: e.convergenceName,
        priority: e.priority,
        attachments: e.attachments.join(', ') || '-',
        children: e.children,
        ...Object.fromEntries(Object.entries(e.cmp).map(([k, v]) => [`cmp.${k}`, v])),
      }),
  );
  leaf(
    entity,
    'list <service>',
    'list the SBB entities of a service',
    ({ client, args }) => client.serviceEntities({ service: args[0]! }),
    (rows) =>
      table(rows, [
        ['entity', (e) => e.id],
        ['sbb', (e) => componentText(e.sbb)],
        ['parent', (e) => e.parent],
        ['priority', (e) => e.priority],
        ['attachments', (e) => e.attachments],
      ]),
  );
  return entity;
}
