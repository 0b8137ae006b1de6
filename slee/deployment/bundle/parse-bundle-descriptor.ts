import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { componentKey, type ComponentId } from '../../component-model/component-id.js';
import { BUNDLE_DESCRIPTOR_FILE, bundleDescriptorSchema, type BundleDescriptor, type ComponentKind } from './bundle-descriptor.js';

function idText(id: ComponentId): string {
  return `${id.name}/${id.vendor}/${id.version}`;
}

/** Consistency rules zod cannot express: unique ids, and references that must resolve inside the descriptor. */
function crossCheck(d: BundleDescriptor): string[] {
  const errors: string[] = [];
  const seen = new Map<string, Set<string>>();
  const add = (kind: ComponentKind, id: ComponentId) => {
    const keys = seen.get(kind) ?? new Set<string>();
    if (keys.has(componentKey(id))) errors.push(`components: ${kind} ${idText(id)} is listed twice`);
    keys.add(componentKey(id));
    seen.set(kind, keys);
  };
  const c = d.components;
  c.services.forEach((s) => add('service', s));
  c.sbbs.forEach((s) => add('sbb', s));
  c.eventTypes.forEach((e) => add('event-type', e));
  c.profileSpecs.forEach((p) => add('profile-spec', p));
  c.raTypes.forEach((r) => add('ra-type', r));
  c.libraries.forEach((l) => add('library', l));

  const declared = (kind: ComponentKind, id: ComponentId) =>
    seen.get(kind)?.has(componentKey(id)) || d.dependencies.some((dep) => dep.kind === kind && componentKey(dep) === componentKey(id));
  for (const s of c.services) {
    if (!seen.get('sbb')?.has(componentKey(s.rootSbb)))
      errors.push(`components.services: ${idText(s)} has root SBB ${idText(s.rootSbb)}, which is not among the bundle's SBBs`);
  }
  for (const sbb of c.sbbs) {
    for (const e of sbb.eventTypes) {
      if (!declared('event-type', e))
        errors.push(`components.sbbs: ${idText(sbb)} handles event type ${idText(e)}, which is neither in the bundle nor a declared dependency`);
    }
    for (const p of sbb.profileSpecs) {
      if (!declared('profile-spec', p))
        errors.push(`components.sbbs: ${idText(sbb)} uses profile specification ${idText(p)}, which is neither in the bundle nor a declared dependency`);
    }
  }
  const names = new Set<string>();
  for (const p of d.configProperties) {
    if (names.has(p.name)) errors.push(`configProperties: '${p.name}' is listed twice`);
    names.add(p.name);
  }
  return errors;
}

/** Validates a parsed `sleet-bundle.json`, listing every problem in one BUNDLE_INVALID error. */
export function parseBundleDescriptor(value: unknown, origin: string): BundleDescriptor {
  const result = bundleDescriptorSchema.safeParse(value);
  const errors = result.success ? crossCheck(result.data) : result.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`);
  if (errors.length > 0 || !result.success) {
    throw new SleetError(ErrorCode.BUNDLE_INVALID, `invalid bundle descriptor ${origin}:\n  - ${errors.join('\n  - ')}`, { details: errors });
  }
  return result.data;
}

/** Reads and validates the descriptor at the root of an unpacked bundle. */
export async function readBundleDescriptor(bundleDir: string): Promise<BundleDescriptor> {
  const path = join(bundleDir, BUNDLE_DESCRIPTOR_FILE);
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch {
    throw new SleetError(ErrorCode.BUNDLE_INVALID, `not a bundle: ${path} is missing`, { details: [`${BUNDLE_DESCRIPTOR_FILE} is missing`] });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    const reason = `${BUNDLE_DESCRIPTOR_FILE} is not valid JSON: ${(err as Error).message}`;
    throw new SleetError(ErrorCode.BUNDLE_INVALID, reason, { details: [reason] });
  }
  return parseBundleDescriptor(json, path);
}
