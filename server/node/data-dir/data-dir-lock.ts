import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { PRIVATE_FILE_MODE } from '../../../slee/persistence/make-private.js';
import { NODE_LOCK_FILE } from './data-files.js';

/**
 * Takes the data directory for this process: two nodes writing one profile
 * database, one deployment state and one token would corrupt all three. The
 * lock file holds the owner's PID; one left by a process that has died is
 * taken over. Resolves with the release.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, NODE_LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const file = await open(path, 'wx', PRIVATE_FILE_MODE);
      await file.writeFile(`${process.pid}\n`);
      await file.close();
      return () => rm(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new SleetError(
        ErrorCode.DATA_DIR_LOCKED,
        `the data directory ${dataDir} is in use by process ${holder}${holder === process.pid ? ' (this one)' : ''}: stop that node, or give this one another --data-dir`,
      );
    }
    await rm(path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
