import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import type { HttpProvider } from './http-provider.js';
import type { HttpRouteOptions } from './http-route.js';

/** One route a service serves: `{ method: 'POST', path: '/calls', body: NewCallBody }`. */
export interface HttpRouteSpec extends HttpRouteOptions {
  readonly method: string;
  readonly path: string;
}

/** Registers routes on the HTTP resource adaptor entity behind `http`. */
export function registerRoutes(http: HttpProvider, routes: readonly HttpRouteSpec[]): void {
  for (const { method, path, ...options } of routes) http.route(method, path, options);
}

/**
 * What a service that serves HTTP does when it starts: registers its routes,
 * then leaves the service activity, which has nothing more to say to it.
 * `@InitialEvent() onServiceStarted(_e, aci) { exposeRoutes(this.http, aci, ROUTES); }`
 */
export function exposeRoutes(http: HttpProvider, aci: ActivityContextInterface, routes: readonly HttpRouteSpec[]): void {
  registerRoutes(http, routes);
  aci.detach();
}
