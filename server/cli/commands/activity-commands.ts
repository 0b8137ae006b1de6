import { Command } from 'commander';
import type { ActivityInfo } from '../../management/api/schemas.js';
import { leaf } from '../leaf-command.js';
import { table } from '../output.js';

const activities = (rows: ActivityInfo[]) =>
  table(rows, [
    ['activity', (a) => a.id],
    ['owner', (a) => a.owner],
    ['state', (a) => a.state],
    ['attached', (a) => a.attachedEntities],
    ['names', (a) => a.names.join(',') || '-'],
    ['timers', (a) => a.timers],
    ['queued', (a) => a.queuedEvents],
  ]);

export function activityCommands(): Command {
  const activity = new Command('activity').description('live activities: list, show, end');
  leaf(activity, 'list', 'list live activities', ({ client }) => client.activityList(), activities);
  leaf(
    activity,
    'show <id>',
    'show one activity',
    ({ client, args }) => client.activityGet({ id: args[0]! }),
    (a) => activities([a]),
  );
  leaf(
    activity,
    'end <id>',
    'end an activity',
    ({ client, args }) => client.activityEnd({ id: args[0]! }),
    (a) => activities([a]),
  );
  return activity;
}
