import { z } from 'zod';
import type { HttpProvider } from 'sleet/http';
import { sipPartySchema } from 'sleet/sip';

/** `from` and `to`: SIP URIs (read by the stack's parser), or user names of the local domain. */
export const NewCallBody = z.object({
  from: sipPartySchema,
  to: sipPartySchema,
  /** Each state change is POSTed here. */
  webhook: z.url({ protocol: /^https?$/ }).optional(),
});

export type NewCall = z.infer<typeof NewCallBody>;

/** The click-to-dial REST API; register it on the HTTP RA entity the service's 'http' link is bound to. */
export function registerClickToDialRoutes(http: HttpProvider): void {
  http.route('POST', '/calls', { body: NewCallBody });
  http.route('GET', '/calls/:id');
  http.route('DELETE', '/calls/:id');
}
