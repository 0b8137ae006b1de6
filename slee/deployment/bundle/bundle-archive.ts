import { lstat, mkdir, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';

/** Packs a bundle directory into a gzipped tar whose entries are relative to the directory. */
export async function packBundle(bundleDir: string, outFile: string): Promise<void> {
  const entries = await readdir(bundleDir);
  await tar.create({ gzip: true, file: outFile, cwd: bundleDir, portable: true }, entries.sort());
}

const ENTRY_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory']);
const TYPE_NAMES: Record<string, string> = { SymbolicLink: 'a symbolic link', Link: 'a hard link' };

/** Why an archive entry cannot be part of a bundle, or undefined when it can. */
function entryProblem(path: string, type: string): string | undefined {
  const parts = path.split(/[\\/]/);
  if (path.startsWith('/') || path.startsWith('\\') || /^[a-zA-Z]:/.test(path)) return `archive entry '${path}' has an absolute path`;
  if (parts.includes('..')) return `archive entry '${path}' climbs out of the bundle`;
  if (!ENTRY_TYPES.has(type)) return `archive entry '${path}' is ${TYPE_NAMES[type] ?? `a ${type} entry`}; a bundle holds only files and directories`;
  return undefined;
}

function invalid(reasons: string[]): SleetError {
  return new SleetError(ErrorCode.BUNDLE_INVALID, `not a valid bundle archive:\n  - ${reasons.join('\n  - ')}`, { details: reasons });
}

/**
 * Unpacks a `.tgz` (path or bytes) into `destDir`. Only files and
 * directories with relative paths inside the bundle are written; every other
 * entry is skipped and named, so a refusal lists them all at once.
 */
export async function unpackBundle(source: string | Buffer, destDir: string): Promise<void> {
  await mkdir(destDir, { recursive: true });
  const reasons: string[] = [];
  const options = {
    cwd: destDir,
    strict: true,
    filter: (path: string, entry: tar.ReadEntry | import('node:fs').Stats) => {
      const problem = entryProblem(path, 'type' in entry ? entry.type : 'File');
      if (problem) reasons.push(problem);
      return problem === undefined;
    },
  };
  try {
    if (typeof source === 'string') await tar.extract({ ...options, file: source });
    else await pipeline(Readable.from([source]), tar.extract(options));
  } catch (err) {
    const reason = `not a readable bundle archive: ${(err as Error).message}`;
    throw new SleetError(ErrorCode.BUNDLE_INVALID, reason, { cause: err, details: [reason] });
  }
  if (reasons.length > 0) throw invalid(reasons);
}

/** Refuses a bundle directory holding anything but files and directories (links could lead out of it). */
export async function checkBundleTree(dir: string): Promise<void> {
  const reasons: string[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const name of (await readdir(at)).sort()) {
      const path = join(at, name);
      const info = await lstat(path);
      if (info.isDirectory()) await walk(path);
      else if (!info.isFile())
        reasons.push(
          `'${relative(dir, path)}' is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; a bundle holds only files and directories`,
        );
    }
  };
  await walk(dir);
  if (reasons.length > 0) throw invalid(reasons);
}

/** Whether a path names a bundle directory (as opposed to an archive). */
export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path)).isDirectory();
}
