export { HttpResourceAdaptor } from './http-resource-adaptor.js';
export { httpResourceAdaptorType } from './http-resource-adaptor-type.js';
export type { HttpProvider } from './http-provider.js';
export type { HttpRequestActivity } from './http-request-activity.js';
export type { HttpClientActivity, HttpClientRequest } from './http-client-activity.js';
export type { HttpRouteOptions } from './http-route.js';
export { exposeRoutes, registerRoutes, type HttpRouteSpec } from './expose-routes.js';
export type { HttpConfig } from './http-config.js';
export {
  HttpGetEvent,
  HttpPostEvent,
  HttpPutEvent,
  HttpDeleteEvent,
  HttpPatchEvent,
  HttpResponseEventType,
  HttpClientErrorEventType,
  httpRequestEventTypes,
  httpEventTypes,
  type HttpRequestEvent,
  type HttpResponseEvent,
  type HttpClientErrorEvent,
} from './http-events.js';
