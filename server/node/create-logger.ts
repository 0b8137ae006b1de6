import { pino, stdTimeFunctions, type Logger, type LevelWithSilent } from 'pino';
import { prettyFactory } from 'pino-pretty';

export type LogFormat = 'auto' | 'pretty' | 'json';

/** Where the node logs: a stream, and whether it is a terminal (standard output by default). */
export interface LogDestination {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * The node's logger. `pretty`: one line per entry with a local time,
 * coloured on a terminal (pino-pretty); `json`: one JSON object per line
 * with an ISO-8601 `time`, for collectors; `auto`: pretty on a terminal,
 * JSON otherwise.
 */
export function createLogger(level: LevelWithSilent, format: LogFormat, destination: LogDestination = process.stdout): Logger {
  const options = { name: 'sleet', level, timestamp: stdTimeFunctions.isoTime };
  const pretty = format === 'pretty' || (format === 'auto' && destination.isTTY === true);
  if (!pretty) return pino(options, destination);
  const prettify = prettyFactory({ colorize: destination.isTTY === true, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l', ignore: 'pid,hostname' });
  // Formatted in line, as pino writes each entry: no worker thread, nothing lost at exit.
  return pino(options, { write: (line: string) => destination.write(prettify(line)) });
}
