import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';

/**
 * The key digest nonces are signed with, kept in the data directory (0600)
 * so nonces survive a restart as validly signed; nodes of a cluster that
 * share the file accept each other's nonces as stale (RFC 7616 stale=true)
 * rather than as forged. 32 random bytes, hex, created on first start.
 */
export async function readDigestSecret(path: string): Promise<Buffer> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    if (!/^[0-9a-f]{64,}$/i.test(text)) {
      throw new SleetError(ErrorCode.CONFIG_INVALID, `${path} must hold at least 64 hex digits (32 bytes); delete it to have a new one made`);
    }
    return Buffer.from(text, 'hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32);
  await writeFile(path, `${secret.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
