import type { ServerResponse } from 'node:http';

/** Writes a response: strings and bytes as they are, anything else (objects, arrays, numbers...) as JSON. */
export function writeReply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const lower = new Set(Object.keys(headers).map((h) => h.toLowerCase()));
  let payload: string | Uint8Array | undefined;
  let contentType: string | undefined;
  if (body === undefined) payload = undefined;
  else if (typeof body === 'string') [payload, contentType] = [body, 'text/plain; charset=utf-8'];
  else if (body instanceof Uint8Array) [payload, contentType] = [body, 'application/octet-stream'];
  else [payload, contentType] = [JSON.stringify(body), 'application/json'];
  if (contentType && !lower.has('content-type')) res.setHeader('content-type', contentType);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.statusCode = status;
  res.end(payload);
}
