import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { projectTemplate } from './project-template.js';
import { localSleetDependency } from './sleet-dependency.js';

/** `sleet-sdk init <dir>`: scaffolds a service project in an empty (or new) directory. */
export async function initProject(dir: string, options: { name?: string; vendor?: string; sleet?: string } = {}): Promise<string[]> {
  const target = resolve(dir);
  const existing = await readdir(target).catch(() => [] as string[]);
  if (existing.length > 0) throw new SleetError(ErrorCode.SDK_BUILD, `${target} is not empty; init writes a new project`);
  const name =
    (options.name ?? basename(target))
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'service';
  const vendor = options.vendor ?? 'example';
  const files = projectTemplate({ name, vendor, sleet: options.sleet ?? localSleetDependency() });
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(target, path)), { recursive: true });
    await writeFile(join(target, path), content);
  }
  return Object.keys(files);
}
