import { z } from 'zod';
import type { HttpProvider } from 'sleet/http';

/** `from` and `to`: SIP URIs, or user names of the local domain. */
const party = z.string().trim().regex(/^(sips?:[^\s]+|[A-Za-z0-9._~+-]+)$/, 'a SIP URI or a user name');

export const NewCallBody = z.object({
  from: party,
  to: party,
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
