import type { Command } from 'commander';
import { ManagementClient } from '../management/client/management-client.js';
import { DEFAULT_MANAGEMENT_URL, resolveNodeAccess } from '../management/client/node-access.js';
import { MANAGEMENT_TOKEN_FILE, MANAGEMENT_URL_FILE } from '../node/data-dir/data-files.js';

export interface ClientOptions {
  url?: string;
  token?: string;
  dataDir?: string;
  json?: boolean;
}

/** The options that say where a node is and how to authenticate: `sleet` and `sleet-sdk deploy` both take them. */
export function addNodeAccessOptions(command: Command): Command {
  return command
    .option('--url <url>', `management API URL (SLEET_URL; else <data-dir>/${MANAGEMENT_URL_FILE}; else ${DEFAULT_MANAGEMENT_URL})`)
    .option('--token <token>', `bearer token (SLEET_TOKEN; else <data-dir>/${MANAGEMENT_TOKEN_FILE})`)
    .option('--data-dir <dir>', 'data directory of a local node, to read its URL and token from (SLEET_DATA_DIR; default ./data)');
}

/** The options every management command takes. */
export function addClientOptions(command: Command): Command {
  return addNodeAccessOptions(command).option('--json', 'print JSON instead of a table');
}

/** Flag > environment > the local node's data directory. */
export function clientFrom(options: ClientOptions, env: NodeJS.ProcessEnv = process.env): ManagementClient {
  return new ManagementClient(resolveNodeAccess(options, env));
}
