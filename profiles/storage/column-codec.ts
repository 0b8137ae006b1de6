import type { AttributeModel } from '../specification/attribute-model.js';

/**
 * Converts attribute values between their JavaScript form, their SQL column
 * form and their external (JSON/CSV) form. One encoding serves every backend:
 * bigint as BIGINT, Date as epoch milliseconds (so ranges compare numerically),
 * booleans as 0/1, arrays and JSON as JSON text.
 */
function scalarToExternal(attr: AttributeModel, v: unknown): unknown {
  if (attr.kind === 'bigint') return (v as bigint).toString();
  if (attr.kind === 'date') return (v as Date).toISOString();
  return v;
}

function scalarFromExternal(attr: AttributeModel, v: unknown): unknown {
  if (attr.kind === 'bigint' && (typeof v === 'string' || typeof v === 'number')) {
    try {
      return BigInt(v);
    } catch {
      return v;
    }
  }
  if (attr.kind === 'date' && (typeof v === 'string' || typeof v === 'number')) return new Date(v);
  return v;
}

/** JavaScript value → SQL parameter. Values must already be valid. */
export function toColumn(attr: AttributeModel, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (attr.array) return JSON.stringify((v as unknown[]).map((e) => scalarToExternal(attr, e)));
  switch (attr.kind) {
    case 'boolean':
      return v ? 1 : 0;
    case 'date':
      return (v as Date).getTime();
    case 'json':
      return JSON.stringify(v);
    default:
      return v;
  }
}

/** SQL result value → JavaScript value. Drivers differ in how they return integers, so accept all forms. */
export function fromColumn(attr: AttributeModel, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  if (attr.array) return (JSON.parse(String(raw)) as unknown[]).map((e) => scalarFromExternal(attr, e));
  switch (attr.kind) {
    case 'boolean':
      return Number(raw) !== 0;
    case 'bigint':
      return BigInt(raw as string | number | bigint);
    case 'date':
      return new Date(Number(raw));
    case 'number':
      return Number(raw);
    case 'json':
      return JSON.parse(String(raw));
    default:
      return String(raw);
  }
}

/** JavaScript value → JSON-able external value (bigint as decimal string, Date as ISO text). */
export function toExternal(attr: AttributeModel, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (attr.array) return (v as unknown[]).map((e) => scalarToExternal(attr, e));
  return scalarToExternal(attr, v);
}

/** External value (parsed JSON) → JavaScript value; leaves unconvertible input for validation to reject. */
export function fromExternal(attr: AttributeModel, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (attr.array) return Array.isArray(v) ? v.map((e) => scalarFromExternal(attr, e)) : v;
  return scalarFromExternal(attr, v);
}

/** CSV cell text → JavaScript value. Arrays and JSON cells hold JSON text. */
export function fromCsvText(attr: AttributeModel, text: string): unknown {
  if (attr.array || attr.kind === 'json') {
    try {
      return fromExternal(attr, JSON.parse(text));
    } catch {
      return text;
    }
  }
  switch (attr.kind) {
    case 'number': {
      const n = Number(text);
      return text.trim() === '' || Number.isNaN(n) ? text : n;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return scalarFromExternal(attr, text);
  }
}

/** JavaScript value → CSV cell text (null → undefined, meaning an empty unquoted cell). */
export function toCsvText(attr: AttributeModel, v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (attr.array || attr.kind === 'json') return JSON.stringify(toExternal(attr, v));
  return String(scalarToExternal(attr, v));
}
