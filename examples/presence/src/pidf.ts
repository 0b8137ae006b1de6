/** The PIDF media type (RFC 3863 §4.3). */
export const PIDF_TYPE = 'application/pidf+xml';

const MAX_PIDF_BYTES = 16 * 1024;

/**
 * Why a body is not a PIDF document this agent stores, or null when it is:
 * well within size, a `presence` root in the PIDF namespace naming its
 * entity, with at least one `tuple` (RFC 3863 §4.1). A structural check,
 * not a schema validation: the agent relays the document as published.
 */
export function pidfProblem(body: string): string | null {
  if (Buffer.byteLength(body) > MAX_PIDF_BYTES) return `larger than ${MAX_PIDF_BYTES} bytes`;
  const root = /<(?:([\w.-]+):)?presence\b([^>]*)>/.exec(body);
  if (root === null) return 'no presence element';
  const [, prefix, attributes = ''] = root;
  const namespace = new RegExp(`xmlns${prefix ? `:${prefix}` : ''}\\s*=\\s*["']urn:ietf:params:xml:ns:pidf["']`);
  if (!namespace.test(attributes)) return 'presence is not in the urn:ietf:params:xml:ns:pidf namespace';
  if (!/\bentity\s*=\s*["'][^"']+["']/.test(attributes)) return 'presence names no entity';
  if (!new RegExp(`<${prefix ? `${prefix}:` : ''}tuple\\b`).test(body)) return 'no tuple';
  return null;
}

/** What watchers get while nothing is published: the presentity is offline (a single closed tuple). */
export function closedDocument(entity: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="${escapeXml(entity)}">`,
    '  <tuple id="sleet-offline"><status><basic>closed</basic></status></tuple>',
    '</presence>',
    '',
  ].join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
