import { mkdir, readdir, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { SleetError } from '../../errors/sleet-error.js';
import { ErrorCode } from '../../errors/error-codes.js';

/** Packs a bundle directory into a gzipped tar whose entries are relative to the directory. */
export async function packBundle(bundleDir: string, outFile: string): Promise<void> {
  const entries = await readdir(bundleDir);
  await tar.create({ gzip: true, file: outFile, cwd: bundleDir, portable: true }, entries.sort());
}

/**
 * Unpacks a `.tgz` (path or bytes) into `destDir`. tar refuses absolute
 * paths and `..` entries by default, so a bundle cannot write outside it.
 */
export async function unpackBundle(source: string | Buffer, destDir: string): Promise<void> {
  await mkdir(destDir, { recursive: true });
  const fail = (err: unknown) =>
    new SleetError(ErrorCode.BUNDLE_INVALID, `not a readable bundle archive: ${(err as Error).message}`, {
      cause: err,
      details: [`not a readable bundle archive: ${(err as Error).message}`],
    });
  try {
    if (typeof source === 'string') await tar.extract({ file: source, cwd: destDir, strict: true });
    else await pipeline(Readable.from([source]), tar.extract({ cwd: destDir, strict: true }));
  } catch (err) {
    throw fail(err);
  }
}

/** Whether a path names a bundle directory (as opposed to an archive). */
export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path)).isDirectory();
}
