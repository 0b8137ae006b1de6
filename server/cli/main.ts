#!/usr/bin/env -S node --no-memory-reducer
import { clusterCommands } from './commands/cluster-commands.js';
import { Command } from 'commander';
import { sleeCommands } from './commands/slee-commands.js';
import { deployCommands } from './commands/deploy-commands.js';
import { serviceCommands } from './commands/service-commands.js';
import { raCommands } from './commands/ra-commands.js';
import { profileCommands } from './commands/profile-commands.js';
import { alarmCommands } from './commands/alarm-commands.js';
import { traceCommands } from './commands/trace-commands.js';
import { usageCommands } from './commands/usage-commands.js';
import { activityCommands } from './commands/activity-commands.js';
import { entityCommands } from './commands/entity-commands.js';
import { cdrCommands } from './commands/cdr-commands.js';
import { startCommand } from './commands/start-command.js';
import { errorText } from './error-text.js';

const program = new Command('sleet')
  .description('Sleet: run a node (sleet start) and manage it through its management API')
  .showHelpAfterError()
  .addCommand(startCommand())
  .addCommand(sleeCommands())
  .addCommand(deployCommands())
  .addCommand(serviceCommands())
  .addCommand(raCommands())
  .addCommand(profileCommands())
  .addCommand(alarmCommands())
  .addCommand(traceCommands())
  .addCommand(usageCommands())
  .addCommand(activityCommands())
  .addCommand(entityCommands())
  .addCommand(cdrCommands())
  .addCommand(clusterCommands());

// The SDK loads the TypeScript compiler; only pay for it when it is used.
if (process.argv[2] === 'sdk') {
  const { createSdkCommand } = await import('../../sdk/cli/sdk-command.js');
  program.addCommand(createSdkCommand());
} else {
  program.command('sdk').description('build service bundles: init, validate, build, deploy (see: sleet sdk --help)');
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`${errorText(err)}\n`);
  process.exit(1);
}
