import { chmod, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Modes of everything a node keeps on disk: only its own user may read it. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Gives a directory mode 0700 and a file 0600, and with `recursive`
 * everything below a directory too. Symbolic links are left alone (and not
 * followed), a missing path is not an error, and a file owned by another
 * user (EPERM) keeps its mode: its owner decides.
 */
export async function makePrivate(path: string, options: { recursive?: boolean } = {}): Promise<void> {
  let info;
  try {
    info = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (info.isSymbolicLink()) return;
  const mode = info.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
  if ((info.mode & 0o777) !== mode) {
    try {
      await chmod(path, mode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    }
  }
  if (options.recursive && info.isDirectory()) {
    for (const name of await readdir(path)) await makePrivate(join(path, name), options);
  }
}
