import { Readable } from 'node:stream';

/** What an import reads from: text, bytes, a stream or any async iterable of chunks. */
export type ImportInput = string | Buffer | Readable | AsyncIterable<string | Buffer>;

function toReadable(input: ImportInput): Readable {
  if (input instanceof Readable) return input;
  if (typeof input === 'string' || Buffer.isBuffer(input)) return Readable.from([input]);
  return Readable.from(input);
}

export async function readAllText(input: ImportInput): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of toReadable(input)) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
