import { isBuiltin } from 'node:module';
import { z } from 'zod';

/** The component kinds a bundle can carry, as management and the descriptor name them. */
export const COMPONENT_KINDS = ['service', 'sbb', 'event-type', 'profile-spec', 'ra-type', 'library'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/** The name of the descriptor file at the root of every bundle. */
export const BUNDLE_DESCRIPTOR_FILE = 'sleet-bundle.json';
export const BUNDLE_FORMAT = 1;

const text = z.string().min(1);

const componentIdShape = { name: text, vendor: text, version: text };
const componentIdSchema = z.object(componentIdShape).strict();

/** A module inside the bundle: a relative path that cannot climb out of it. */
const modulePath = text.refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..') && !/^[a-zA-Z]:/.test(p), {
  message: 'must be a relative path inside the bundle',
});

const entryPoint = { module: modulePath, export: text };

const serviceSchema = z.object({ ...componentIdShape, ...entryPoint, rootSbb: componentIdSchema }).strict();
const sbbSchema = z
  .object({
    ...componentIdShape,
    ...entryPoint,
    raLinks: z.array(text).default([]),
    eventTypes: z.array(componentIdSchema).default([]),
    profileSpecs: z.array(componentIdSchema).default([]),
  })
  .strict();
const eventTypeSchema = z.object({ ...componentIdShape, ...entryPoint, short: text }).strict();
const profileSpecSchema = z.object({ ...componentIdShape, ...entryPoint }).strict();
const raTypeSchema = z.object({ ...componentIdShape, ...entryPoint }).strict();
const librarySchema = z.object({ ...componentIdShape, modules: z.array(modulePath).default([]) }).strict();

const dependencySchema = z.object({ kind: z.enum(COMPONENT_KINDS), ...componentIdShape }).strict();

const configPropertySchema = z
  .object({
    name: text,
    type: z.enum(['string', 'number', 'boolean']),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    description: z.string().optional(),
  })
  .strict()
  .refine((p) => p.default === undefined || typeof p.default === p.type, {
    message: 'default value does not match the property type',
    path: ['default'],
  });

/** A Node built-in module by its bare name (`child_process`, `fs`), as `permissions.builtins` lists it. */
const builtinName = text.refine((name) => !name.startsWith('node:') && isBuiltin(name), {
  message: "must be a Node built-in module's bare name, such as child_process or fs",
});
/** An npm package name (`zod`, `@scope/pkg`), without a subpath. */
const packageName = z.string().regex(/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i, 'must be an npm package name, without a subpath');

/**
 * What a bundle's code may reach beyond Sleet's public API (JSLEE's
 * security-permissions): the Node built-ins and host-installed packages it
 * requires. `process` stands for the whole process object.
 */
const permissionsSchema = z
  .object({
    builtins: z.array(builtinName).default([]),
    packages: z.array(packageName).default([]),
  })
  .strict();

/** Unit ids are built from these, so they stay safe in URLs and file names. */
const unitPart = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, dots, dashes and underscores');

export const bundleDescriptorSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    unit: z.object({ name: unitPart, vendor: unitPart, version: unitPart }).strict(),
    components: z
      .object({
        services: z.array(serviceSchema).default([]),
        sbbs: z.array(sbbSchema).default([]),
        eventTypes: z.array(eventTypeSchema).default([]),
        profileSpecs: z.array(profileSpecSchema).default([]),
        raTypes: z.array(raTypeSchema).default([]),
        libraries: z.array(librarySchema).default([]),
      })
      .strict(),
    dependencies: z.array(dependencySchema).default([]),
    configProperties: z.array(configPropertySchema).default([]),
    permissions: permissionsSchema.default({ builtins: [], packages: [] }),
  })
  .strict();

/** `sleet-bundle.json`: what a bundle contains, what it needs, and where its code is. */
export type BundleDescriptor = z.infer<typeof bundleDescriptorSchema>;
export type BundleServiceEntry = BundleDescriptor['components']['services'][number];
export type BundleEntryPoint = { module: string; export: string };
export type BundleDependency = BundleDescriptor['dependencies'][number];
export type BundlePermissions = BundleDescriptor['permissions'];
