import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { MIN_ROUTE_SECRET_BYTES } from '../proxy/index.js';

/**
 * The key of the Record-Route tokens, kept in a file (base64url text) so
 * that dialogs outlive a restart and nodes of a cluster can share it: the
 * file is read if it exists, created with a random key (mode 0600, its
 * directory 0700 when new) otherwise. A key shorter than 32 bytes is
 * refused (CONFIG_INVALID).
 */
export async function loadRouteSecret(path: string): Promise<Buffer> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(path, err);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    try {
      await writeFile(path, `${randomBytes(MIN_ROUTE_SECRET_BYTES).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (writeErr) {
      // Another node on the same data directory created it first: use theirs.
      if ((writeErr as NodeJS.ErrnoException).code !== 'EEXIST') throw unreadable(path, writeErr);
    }
    text = await readFile(path, 'utf8');
  }
  const encoded = text.trim();
  const secret = Buffer.from(encoded, 'base64url');
  if (!/^[A-Za-z0-9_-]+$/.test(encoded) || secret.length < MIN_ROUTE_SECRET_BYTES) {
    throw new SleetError(ErrorCode.CONFIG_INVALID, `route secret file ${path} must hold at least ${MIN_ROUTE_SECRET_BYTES} bytes as base64url text`);
  }
  return secret;
}

function unreadable(path: string, err: unknown): SleetError {
  return new SleetError(ErrorCode.CONFIG_INVALID, `cannot use route secret file ${path}: ${(err as Error).message}`);
}
