import { Command } from 'commander';
import type { ServiceInfo } from '../../management/api/schemas.js';
import { leaf } from '../leaf-command.js';
import { componentText, table } from '../output.js';

const services = (rows: ServiceInfo[]) =>
  table(rows, [
    ['service', (s) => componentText(s.id)],
    ['state', (s) => s.state],
    ['priority', (s) => s.priority],
    ['roots', (s) => s.rootEntities],
  ]);

export function serviceCommands(): Command {
  const service = new Command('service').description('services (ids as name[:vendor[:version]])');
  leaf(service, 'list', 'list services and their states', ({ client }) => client.serviceList(), services);
  leaf(
    service,
    'state <service>',
    'show one service',
    ({ client, args }) => client.serviceGet({ service: args[0]! }),
    (s) => services([s]),
  );
  leaf(
    service,
    'activate <service>',
    'activate a service',
    ({ client, args }) => client.serviceActivate({ service: args[0]! }),
    (s) => services([s]),
  );
  leaf(
    service,
    'deactivate <service>',
    'deactivate a service',
    ({ client, args }) => client.serviceDeactivate({ service: args[0]! }),
    (s) => services([s]),
  );
  leaf(
    service,
    'upgrade <from> <to>',
    'deactivate <from> and activate <to> at once (existing activities stay on <from>)',
    ({ client, args }) => client.serviceDeactivateAndActivate({ deactivate: args[0]!, activate: args[1]! }),
    services,
  );
  return service;
}
