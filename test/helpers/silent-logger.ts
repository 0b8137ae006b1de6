import { pino, type Logger } from 'pino';

/** A logger for tests: silent unless SLEET_TEST_LOG names a level. */
export function silentLogger(): Logger {
  return pino({ level: process.env.SLEET_TEST_LOG ?? 'silent' });
}
