import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ManagementClient } from '../management/client/management-client.js';
import { SleetError } from '../errors/sleet-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { MANAGEMENT_TOKEN_FILE, MANAGEMENT_URL_FILE } from '../node/data-files.js';

export interface ClientOptions {
  url?: string;
  token?: string;
  dataDir?: string;
  json?: boolean;
}

const DEFAULT_URL = 'http://127.0.0.1:9797';

/** The options every management command takes. */
export function addClientOptions(command: Command): Command {
  return command
    .option('--url <url>', `management API URL (SLEET_URL; else <data-dir>/${MANAGEMENT_URL_FILE}; else ${DEFAULT_URL})`)
    .option('--token <token>', `bearer token (SLEET_TOKEN; else <data-dir>/${MANAGEMENT_TOKEN_FILE})`)
    .option('--data-dir <dir>', 'data directory of a local node, to read its URL and token from (SLEET_DATA_DIR; default ./data)')
    .option('--json', 'print JSON instead of a table');
}

/** Flag > environment > the local node's data directory. */
export function clientFrom(options: ClientOptions, env: NodeJS.ProcessEnv = process.env): ManagementClient {
  const dataDir = options.dataDir ?? env.SLEET_DATA_DIR ?? './data';
  const url = options.url ?? env.SLEET_URL ?? readTrimmed(join(dataDir, MANAGEMENT_URL_FILE)) ?? DEFAULT_URL;
  const token = options.token ?? env.SLEET_TOKEN ?? readTrimmed(join(dataDir, MANAGEMENT_TOKEN_FILE));
  if (!token) {
    throw new SleetError(ErrorCode.MANAGEMENT_UNAUTHORIZED, `no management token: pass --token, set SLEET_TOKEN, or point --data-dir at the node's data directory (${join(dataDir, MANAGEMENT_TOKEN_FILE)} not found)`);
  }
  return new ManagementClient({ url, token });
}

function readTrimmed(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
