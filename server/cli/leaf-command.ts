import type { Command } from 'commander';
import type { ManagementClient } from '../management/client/management-client.js';
import { addClientOptions, clientFrom, type ClientOptions } from './client-options.js';

export interface LeafContext<O> {
  client: ManagementClient;
  args: string[];
  options: O & ClientOptions;
}

/**
 * Adds a management subcommand: it calls the API through the typed client
 * and prints the result, as a human view or (`--json`) as JSON.
 */
export function leaf<R, O = Record<string, unknown>>(
  parent: Command,
  usage: string,
  description: string,
  run: (ctx: LeafContext<O>) => Promise<R>,
  human: (result: R) => string,
  configure: (command: Command) => Command = (c) => c,
): Command {
  const command = configure(addClientOptions(parent.command(usage).description(description)));
  command.action(async (...params: unknown[]) => {
    const cmd = params[params.length - 1] as Command;
    const options = cmd.opts<O & ClientOptions>();
    const args = params.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a.map(String) : a === undefined ? [] : [String(a)]));
    const result = await run({ client: clientFrom(options), args, options });
    process.stdout.write(`${options.json ? JSON.stringify(result ?? null, null, 2) : human(result)}\n`);
  });
  return command;
}
