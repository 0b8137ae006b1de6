import { SleetError } from '../errors/sleet-error.js';
import { ErrorCode } from '../errors/error-codes.js';

/**
 * Checks a CMP or ACI attribute value is plain serialisable data and
 * freezes it, so a handler cannot change committed state in place: it must
 * assign a new value, which the transaction can undo.
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
        return Object.freeze(value.map((v, i) => freezeSerialisable(v, `${path}[${i}]`)));
      }
      const proto = Object.getPrototypeOf(value);
      if (proto === Object.prototype || proto === null) {
        const copy: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) copy[k] = freezeSerialisable(v, `${path}.${k}`);
        return Object.freeze(copy);
      }
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
