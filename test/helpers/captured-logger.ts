import type { Logger } from 'pino';
import { createLogger } from '../../server/node/create-logger.js';

/** A node logger writing JSON lines into memory, for tests that read what the node logs. */
export function capturedLogger(level: 'info' | 'debug' = 'info'): { logger: Logger; lines: () => Array<Record<string, unknown>>; text: () => string } {
  const chunks: string[] = [];
  const logger = createLogger(level, 'json', { write: (text: string) => chunks.push(text) });
  const text = () => chunks.join('');
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
