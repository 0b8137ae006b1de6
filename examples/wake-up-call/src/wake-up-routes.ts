import { z } from 'zod';
import type { HttpProvider } from 'sleet/http';

/** `who`: a SIP URI or a user name of the local domain; `at`: ms since the epoch, an ISO 8601 time, or `HH:MM` (server local time). */
export const NewWakeUpBody = z.object({
  who: z.string().trim().regex(/^(sips?:[^\s]+|[A-Za-z0-9._~+-]+)$/, 'a SIP URI or a user name'),
  at: z.union([z.number().int().positive(), z.string().min(1)]),
});

export type NewWakeUp = z.infer<typeof NewWakeUpBody>;

export function registerWakeUpRoutes(http: HttpProvider): void {
  http.route('POST', '/wakeups', { body: NewWakeUpBody });
}
