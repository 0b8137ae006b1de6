import { z } from 'zod';
import type { HttpRouteSpec } from 'sleet/http';
import { sipPartySchema } from 'sleet/sip';

/** `who`: a SIP URI or a user name of the local domain; `at`: ms since the epoch, an ISO 8601 time, or `HH:MM` (server local time). */
export const NewWakeUpBody = z.object({
  who: sipPartySchema,
  at: z.union([z.number().int().positive(), z.string().min(1)]),
});

export type NewWakeUp = z.infer<typeof NewWakeUpBody>;

/** The booking API, which the WakeUpBooking service registers on the HTTP RA entity its 'http' link is bound to. */
export const WAKE_UP_ROUTES: readonly HttpRouteSpec[] = [{ method: 'POST', path: '/wakeups', body: NewWakeUpBody }];
