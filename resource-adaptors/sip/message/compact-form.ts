import { canonicalHeaderName, compactHeaderName, isListHeader } from './header-names.js';
import type { HeaderSlot } from './header-slot.js';

/**
 * The smallest serialisation RFC 3261 allows for the same message: every
 * list header's values on one comma-separated line (§7.3.1), compact names
 * where they exist (§7.3.3), no optional whitespace. Header order is kept
 * except that a list header's later lines join its first.
 */
export function compactForm(startLine: string, slots: readonly HeaderSlot[], body: Buffer, encoding: 'utf8' | 'latin1'): Buffer {
  const lines: Array<{ key: string; name: string; values: string[] }> = [];
  const lists = new Map<string, string[]>();
  for (const slot of slots) {
    if (slot.key === 'content-length') continue;
    const joined = isListHeader(slot.key) ? lists.get(slot.key) : undefined;
    if (joined !== undefined) {
      joined.push(slot.value);
      continue;
    }
    const values = [slot.value];
    if (isListHeader(slot.key)) lists.set(slot.key, values);
    lines.push({ key: slot.key, name: slot.name, values });
  }
  let head = `${startLine}\r\n`;
  for (const line of lines) {
    head += `${compactHeaderName(line.key) ?? canonicalHeaderName(line.key, line.name)}:${line.values.join(',')}\r\n`;
  }
  head += `l:${body.length}\r\n\r\n`;
  const headLength = Buffer.byteLength(head, encoding);
  const out = Buffer.allocUnsafe(headLength + body.length);
  out.write(head, 0, encoding);
  body.copy(out, headLength);
  return out;
}
