import { z } from 'zod';
import type { HttpRouteSpec } from 'sleet/http';
import { sipPartySchema } from 'sleet/sip';

/** `from` and `to`: SIP URIs (read by the stack's parser), or user names of the local domain. */
export const NewCallBody = z.object({
  from: sipPartySchema,
  to: sipPartySchema,
  /** Each state change is POSTed here. */
  webhook: z.url({ protocol: /^https?$/ }).optional(),
});

export type NewCall = z.infer<typeof NewCallBody>;

/** The click-to-dial REST API, which the service registers on the HTTP RA entity its 'http' link is bound to. */
export const CLICK_TO_DIAL_ROUTES: readonly HttpRouteSpec[] = [
  { method: 'POST', path: '/calls', body: NewCallBody },
  { method: 'GET', path: '/calls/:id' },
  { method: 'DELETE', path: '/calls/:id' },
];
