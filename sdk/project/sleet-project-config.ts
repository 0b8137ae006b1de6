import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { z } from 'zod';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { COMPONENT_KINDS } from '../../slee/deployment/bundle/bundle-descriptor.js';

const id = { name: z.string().min(1), vendor: z.string().min(1), version: z.string().min(1) };

/** The `"sleet"` section of a service project's package.json. */
const sleetSectionSchema = z
  .object({
    vendor: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
    /** Unit name; defaults to the package name without its scope. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
      .optional(),
    sourceDir: z.string().default('src'),
    /** Resource-adaptor link names the SBBs may use with `@RaLink(name)`. */
    raLinks: z.array(z.string().min(1)).default([]),
    /** Event types defined outside the project (another bundle, a resource adaptor) that handlers use. */
    eventTypes: z.array(z.object({ ...id, short: z.string().min(1) }).strict()).default([]),
    /** Profile specifications from other bundles the SBBs use. */
    profileSpecs: z.array(z.object(id).strict()).default([]),
    /** Any other component this unit needs installed first. */
    dependencies: z.array(z.object({ kind: z.enum(COMPONENT_KINDS), ...id }).strict()).default([]),
    configProperties: z
      .array(
        z
          .object({
            name: z.string().min(1),
            type: z.enum(['string', 'number', 'boolean']),
            default: z.union([z.string(), z.number(), z.boolean()]).optional(),
            description: z.string().optional(),
          })
          .strict(),
      )
      .default([]),
    /** Node built-ins the code may require (`child_process`, `node:fs`, `process` for the whole process object). */
    permissions: z
      .object({
        builtins: z.array(z.string().refine((name) => isBuiltin(name), { message: 'is not a Node built-in module' })).default([]),
      })
      .strict()
      .default({ builtins: [] }),
  })
  .strict();

type SleetSection = z.infer<typeof sleetSectionSchema>;

export interface SleetProjectConfig extends Omit<SleetSection, 'permissions'> {
  readonly dir: string;
  readonly unit: { readonly name: string; readonly vendor: string; readonly version: string };
  /**
   * What the bundle's descriptor declares: built-ins by bare name, and the
   * packages of package.json's `dependencies` and `peerDependencies`.
   */
  readonly permissions: { readonly builtins: readonly string[]; readonly packages: readonly string[] };
}

/** Packages the SLEE gives every bundle; declaring them grants nothing more. */
const PROVIDED_PACKAGES = new Set(['sleet', 'reflect-metadata']);

/** Reads the project's identity and `"sleet"` configuration from its package.json. */
export async function readProjectConfig(dir: string): Promise<SleetProjectConfig> {
  const path = join(dir, 'package.json');
  const fail = (reasons: string[]) =>
    new SleetError(ErrorCode.SDK_VALIDATION, `${path}: ${reasons.join('; ')}`, { details: reasons.map((r) => `${path}: ${r}`) });
  let pkg: { name?: string; version?: string; sleet?: unknown; dependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
  try {
    pkg = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw fail([`cannot read the project's package.json (${(err as Error).message})`]);
  }
  const parsed = sleetSectionSchema.safeParse(pkg.sleet ?? {});
  if (!parsed.success) throw fail(parsed.error.issues.map((i) => `sleet.${i.path.join('.')}: ${i.message}`));
  const name = parsed.data.name ?? pkg.name?.replace(/^@[^/]+\//, '');
  if (!name || !pkg.version) throw fail(['package.json needs "name" and "version" (they name the deployable unit)']);
  const builtins = [...new Set(parsed.data.permissions.builtins.map((b) => b.replace(/^node:/, '')))];
  const packages = [...new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})])].filter((p) => !PROVIDED_PACKAGES.has(p));
  return { ...parsed.data, dir, unit: { name, vendor: parsed.data.vendor, version: pkg.version }, permissions: { builtins, packages } };
}
