import { types } from 'node:util';
import { SleetError } from '../../base/errors/sleet-error.js';
import { realmIntrinsics } from '../component-model/realm-intrinsics.js';
import { ErrorCode } from '../../base/errors/error-codes.js';

/**
 * Checks a CMP or ACI attribute value is plain serialisable data and
 * freezes it, so a handler cannot change committed state in place: it must
 * assign a new value, which the transaction can undo. Values made in a
 * bundle's realm are copied into the node's, so committed state is the
 * node's own data whichever realm wrote it.
 */
export function freezeSerialisable(value: unknown, path: string): unknown {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return value;
    case 'object': {
      if (value === null) return value;
      if (value instanceof Date) return new Date(value.getTime());
      if (Object.isFrozen(value)) return value;
      if (Array.isArray(value)) {
        const copy: unknown[] = [];
        for (let i = 0; i < value.length; i++) copy.push(freezeSerialisable(value[i], `${path}[${i}]`));
        return Object.freeze(copy);
      }
      const proto = Object.getPrototypeOf(value);
      if (proto === null || realmIntrinsics.isObjectPrototype(proto)) {
        const copy: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) copy[k] = freezeSerialisable(v, `${path}.${k}`);
        return Object.freeze(copy);
      }
      if (types.isDate(value)) return new Date(value.getTime());
      throw notSerialisable(path, proto?.constructor?.name ?? 'object');
    }
    default:
      throw notSerialisable(path, typeof value);
  }
}

function notSerialisable(path: string, kind: string): SleetError {
  return new SleetError(
    ErrorCode.NOT_SERIALISABLE,
    `${path}: a ${kind} is not serialisable; store strings, numbers, booleans, bigints, Dates, arrays or plain objects`,
  );
}
