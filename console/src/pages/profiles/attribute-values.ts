import type { ProfileTableRecord } from '../../lib/types';

export type Attribute = ProfileTableRecord['attributes'][number];

/** A profile value as text in a form field. */
export function toText(attribute: Attribute, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (attribute.array || attribute.kind === 'json') return JSON.stringify(value);
  return String(value);
}

/**
 * The value a form field's text stands for, typed as the attribute's kind.
 * Empty text is undefined: the attribute is left out (on create) or cleared (on edit).
 */
export function fromText(attribute: Attribute, text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (attribute.array || attribute.kind === 'json') return JSON.parse(trimmed);
  switch (attribute.kind) {
    case 'number': {
      const n = Number(trimmed);
      if (Number.isNaN(n)) throw new TypeError(`${attribute.name}: '${trimmed}' is not a number`);
      return n;
    }
    case 'boolean':
      return trimmed === 'true';
    default:
      return trimmed;
  }
}
