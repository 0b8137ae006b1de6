import { Command } from 'commander';
import type { SleeInfo } from '../../management/api/schemas.js';
import { leaf } from '../leaf-command.js';
import { fields } from '../output.js';

const show = (s: SleeInfo) => fields({ state: s.state, activities: s.activities, 'sbb entities': s.sbbEntities, ...s.stats });

export function sleeCommands(): Command {
  const slee = new Command('slee').description('SLEE state: state, start, stop, shutdown');
  leaf(slee, 'state', 'show the SLEE state and counters', ({ client }) => client.sleeGet(), show);
  leaf(slee, 'start', 'start the SLEE', ({ client }) => client.sleeStart(), show);
  leaf(slee, 'stop', 'stop the SLEE (live activities are ended)', ({ client }) => client.sleeStop(), show);
  leaf(
    slee,
    'shutdown',
    'stop the SLEE and end the node process',
    ({ client }) => client.sleeShutdown(),
    () => 'shutting down',
  );
  return slee;
}
