import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes the management bearer token where only the node's user can read
 * it (mode 0600); a token generated when none is configured.
 */
export async function writeManagementToken(path: string, configured: string | undefined): Promise<string> {
  const token = configured ?? randomBytes(24).toString('base64url');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${token}\n`, { mode: 0o600 });
  // writeFile's mode only applies when it creates the file.
  await chmod(path, 0o600);
  return token;
}
