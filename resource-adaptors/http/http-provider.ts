import type { HttpClientActivity, HttpClientRequest } from './http-client-activity.js';
import type { HttpRequestActivity } from './http-request-activity.js';
import type { HttpRouteOptions } from './http-route.js';

/** What SBBs get for the HTTP resource adaptor's link name (`@RaLink('http') http: HttpProvider`). */
export interface HttpProvider {
  /**
   * Registers a route (`'/calls/:id'`); its parameters reach SBBs as
   * `request.params`. Once any route is registered, requests matching none
   * are answered 404 without reaching the SLEE. Registering the same method
   * and pattern again replaces the route.
   */
  route(method: string, pattern: string, options?: HttpRouteOptions): void;
  /** Answers a request and ends its activity. Throws if it was already answered (or timed out). */
  respond(activity: HttpRequestActivity, status: number, body?: unknown, headers?: Record<string, string>): void;
  /**
   * Sends a request; attach to the returned activity (through the
   * ActivityContextInterfaceFactory) to receive its HttpResponse or
   * HttpClientError event.
   */
  request(request: HttpClientRequest): HttpClientActivity;
}
