import { headerKey } from './header-names.js';
import type { HeaderSlot } from './header-slot.js';

/** Header slots for the create() factories, one per value, in the record's order. */
export function headersFromRecord(headers: Record<string, string | string[]> | undefined): HeaderSlot[] {
  const slots: HeaderSlot[] = [];
  if (headers === undefined) return slots;
  for (const [name, value] of Object.entries(headers)) {
    const key = headerKey(name);
    for (const v of typeof value === 'string' ? [value] : value) slots.push({ key, name, value: v });
  }
  return slots;
}

export function bodyBuffer(body: Buffer | string | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}
