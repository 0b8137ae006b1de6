import { connect } from 'node:net';

/**
 * Sends `text` as it is on a fresh connection and resolves with the status
 * code of the first response line, or 0 when the connection closed without
 * one (the server dropped it, or died).
 */
export function rawHttp(port: number, text: string | Buffer, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let received = '';
    const done = () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1] ?? 0));
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('close', done);
    socket.on('error', () => undefined);
  });
}

export interface RawRequest {
  method: string;
  target: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** An HTTP/1.1 request as bytes: Host, Connection: close and a Content-Length (unless given) are added. */
export function requestBytes({ method, target, headers = {}, body }: RawRequest): Buffer {
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
  const all: Record<string, string> = { host: '127.0.0.1', connection: 'close', ...headers };
  if (!Object.keys(all).some((h) => h.toLowerCase() === 'content-length' || h.toLowerCase() === 'transfer-encoding'))
    all['content-length'] = String(payload.length);
  const head = [`${method} ${target} HTTP/1.1`, ...Object.entries(all).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), payload]);
}
