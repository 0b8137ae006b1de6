/**
 * Routes served without the bearer token, matched on fastify's route pattern rather than
 * the raw URL, so no query string or dot segment can widen the set.
 */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  '/openapi.json',
  // The web console's static files: it asks for the token and sends it on each API call itself.
  '/',
  '/console',
  '/console/*',
]);
