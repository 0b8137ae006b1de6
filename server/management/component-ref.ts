import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { componentKey, type ComponentId } from '../../slee/component-model/component-id.js';

/** A component as operators name it: `name:vendor:version` (vendor and version optional), or a full id. */
export type ComponentRef = string | ComponentId;

function formatComponentRef(id: ComponentId): string {
  return `${id.name}:${id.vendor}:${id.version}`;
}

/**
 * Finds the one component a reference names among `candidates`. Vendor and
 * version may be left out when only one installed component matches.
 */
export function resolveComponentRef(kind: string, ref: ComponentRef, candidates: readonly ComponentId[]): ComponentId {
  const wanted = typeof ref === 'string' ? parseRef(ref) : ref;
  const matches = candidates.filter(
    (c) =>
      c.name === wanted.name && (wanted.vendor === undefined || c.vendor === wanted.vendor) && (wanted.version === undefined || c.version === wanted.version),
  );
  const text = typeof ref === 'string' ? ref : formatComponentRef(ref);
  if (matches.length === 0) throw new SleetError(ErrorCode.UNKNOWN_COMPONENT, `no ${kind} '${text}' is installed`);
  if (matches.length > 1) {
    throw new SleetError(
      ErrorCode.AMBIGUOUS_COMPONENT,
      `'${text}' names ${matches.length} ${kind}s; give vendor and version (${matches.map(formatComponentRef).join(', ')})`,
      {
        details: matches.map(formatComponentRef),
      },
    );
  }
  return matches[0]!;
}

export function sameComponent(a: ComponentId, b: ComponentId): boolean {
  return componentKey(a) === componentKey(b);
}

function parseRef(ref: string): { name: string; vendor?: string; version?: string } {
  const [name, vendor, version, ...rest] = ref.split(':');
  if (!name || rest.length > 0) {
    throw new SleetError(ErrorCode.MANAGEMENT_INVALID_INPUT, `'${ref}' is not a component id: use name:vendor:version (vendor and version optional)`);
  }
  return { name, ...(vendor ? { vendor } : {}), ...(version ? { version } : {}) };
}
