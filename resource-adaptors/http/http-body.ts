import type { IncomingMessage } from 'node:http';

export type BodyRead = { tooLarge: false; text: string } | { tooLarge: true };

/** Reads the whole body, giving up as soon as it exceeds `maxBytes`. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ tooLarge: true });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off('data', onData);
        resolve({ tooLarge: true });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve({ tooLarge: false, text: Buffer.concat(chunks).toString('utf8') }));
    req.once('error', reject);
  });
}

export function isJson(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

export type ParsedBody = { ok: true; body: unknown } | { ok: false; detail: string };

/** JSON when the content type says so, text otherwise, undefined when empty. */
export function parseBody(text: string, contentType: string | undefined): ParsedBody {
  if (text === '') return { ok: true, body: undefined };
  if (!isJson(contentType)) return { ok: true, body: text };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  }
}
