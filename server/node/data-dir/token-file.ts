import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a bearer token (management, HTTP services) where only the node's
 * user can read it (mode 0600); a token generated when none is configured.
 */
export async function writeTokenFile(path: string, configured: string | undefined): Promise<string> {
  const token = configured ?? randomBytes(24).toString('base64url');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${token}\n`, { mode: 0o600 });
  // writeFile's mode only applies when it creates the file.
  await chmod(path, 0o600);
  return token;
}

/** The token a file holds, or undefined when there is none yet. */
export async function readTokenFile(path: string): Promise<string | undefined> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  return text.trim() || undefined;
}
