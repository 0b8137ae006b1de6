import { types } from 'node:util';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import type { AttributeModel } from '../specification/attribute-model.js';
import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import { attributeOf } from '../specification/attribute-of.js';

function checkScalar(attr: AttributeModel, v: unknown): string | undefined {
  switch (attr.kind) {
    case 'string':
      if (typeof v !== 'string') return `must be a string, got ${describe(v)}`;
      if (attr.length !== undefined && v.length > attr.length) return `is longer than ${attr.length} characters`;
      return undefined;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : `must be a finite number, got ${describe(v)}`;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `must be a boolean, got ${describe(v)}`;
    case 'bigint':
      if (typeof v !== 'bigint') return `must be a bigint, got ${describe(v)}`;
      return v >= -(2n ** 63n) && v < 2n ** 63n ? undefined : 'is outside the signed 64-bit range';
    case 'date':
      return types.isDate(v) && !Number.isNaN(v.getTime()) ? undefined : `must be a valid Date, got ${describe(v)}`;
    case 'enum':
      return typeof v === 'string' && attr.values!.includes(v) ? undefined : `must be one of ${attr.values!.join(', ')}, got ${describe(v)}`;
    case 'json':
      try {
        return JSON.stringify(v) === undefined ? 'is not JSON-serialisable' : undefined;
      } catch (err) {
        return `is not JSON-serialisable (${(err as Error).message})`;
      }
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (types.isDate(v)) return 'Invalid Date';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? `'${v.length > 40 ? v.slice(0, 40) + '…' : v}'` : typeof v;
}

/** Why `value` does not fit `attr`, or undefined when it does. Null means "no value". */
export function checkValue(attr: AttributeModel, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!attr.array) return checkScalar(attr, value);
  if (!Array.isArray(value)) return `must be an array, got ${describe(value)}`;
  for (let i = 0; i < value.length; i++) {
    const problem = checkScalar(attr, value[i]);
    if (problem) return `element ${i} ${problem}`;
  }
  return undefined;
}

export function validationError(attribute: string, reason: string, extra?: Record<string, unknown>): SleetError {
  return new SleetError(ErrorCode.PROFILE_VALIDATION, `profile attribute '${attribute}' ${reason}`, {
    details: { attribute, reason, ...extra },
  });
}

/**
 * Checks values against the spec. `complete` means the values are a whole
 * profile, so required attributes must be present; otherwise they are changes.
 */
export function validateProfileValues(spec: ProfileSpecificationModel, values: Readonly<Record<string, unknown>>, complete: boolean): void {
  for (const key of Object.keys(values)) {
    if (attributeOf(spec, key) === undefined) throw validationError(key, `is not declared by spec ${spec.id}`);
  }
  for (const attr of spec.attributes) {
    const v = values[attr.name];
    const present = v !== undefined && v !== null;
    if (attr.required && !present && (complete || attr.name in values)) throw validationError(attr.name, 'is required');
    const problem = checkValue(attr, v);
    if (problem) throw validationError(attr.name, problem);
  }
}
