import { SleetError } from '../../base/errors/sleet-error.js';

/**
 * An error as the CLI prints it, once: the message, then each reason in
 * `details` the message does not already say, one per line.
 */
export function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const details = SleetError.is(err) && Array.isArray(err.details) ? err.details.filter((d): d is string => typeof d === 'string' && !message.includes(d)) : [];
  return [`sleet: ${message}`, ...details.map((d) => `  ${d}`)].join('\n');
}
