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
