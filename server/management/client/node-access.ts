import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { MANAGEMENT_TOKEN_FILE, MANAGEMENT_URL_FILE } from '../../node/data-dir/data-files.js';

export interface NodeAccessOptions {
  url?: string;
  token?: string;
  dataDir?: string;
}

export const DEFAULT_MANAGEMENT_URL = 'http://127.0.0.1:9797';

/**
 * Where a local node's management API is and its token: flag, then
 * environment (SLEET_URL, SLEET_TOKEN, SLEET_DATA_DIR), then the files the
 * node writes into its data directory. `sleet` and `sleet-sdk` share it.
 */
export function resolveNodeAccess(options: NodeAccessOptions, env: NodeJS.ProcessEnv = process.env): { url: string; token: string } {
  const dataDir = options.dataDir ?? env.SLEET_DATA_DIR ?? './data';
  const url = options.url ?? env.SLEET_URL ?? readTrimmed(join(dataDir, MANAGEMENT_URL_FILE)) ?? DEFAULT_MANAGEMENT_URL;
  const token = options.token ?? env.SLEET_TOKEN ?? readTrimmed(join(dataDir, MANAGEMENT_TOKEN_FILE));
  if (!token) {
    throw new SleetError(
      ErrorCode.MANAGEMENT_UNAUTHORIZED,
      `no management token: pass --token, set SLEET_TOKEN, or point --data-dir at the node's data directory (${join(dataDir, MANAGEMENT_TOKEN_FILE)} not found)`,
    );
  }
  return { url, token };
}

function readTrimmed(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
