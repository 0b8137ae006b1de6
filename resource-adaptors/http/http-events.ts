import { defineEventType, type EventType } from '../../slee/component-model/event-type.js';
import type { ActivityEvent } from '../../slee/activity/activity-of.js';
import type { HttpClientActivity } from './http-client-activity.js';
import type { HttpRequestActivity } from './http-request-activity.js';

/**
 * Fired on an HTTP-request activity: `onHttpGet(event, aci)`, `onHttpPost(...)`, and so on.
 * `B` is the body the route's schema admits: `onHttpPost({ request }: HttpRequestEvent<NewCall>)`.
 */
export interface HttpRequestEvent<B = unknown> extends ActivityEvent<HttpRequestActivity<B>> {
  readonly request: HttpRequestActivity<B>;
}

/** The body is whatever the route's schema admitted, which only the SBB that registered the route knows. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyBody = any;

export const HttpGetEvent = defineEventType<HttpRequestEvent<AnyBody>>('sleet.http.GET', { short: 'HttpGet' });
export const HttpPostEvent = defineEventType<HttpRequestEvent<AnyBody>>('sleet.http.POST', { short: 'HttpPost' });
export const HttpPutEvent = defineEventType<HttpRequestEvent<AnyBody>>('sleet.http.PUT', { short: 'HttpPut' });
export const HttpDeleteEvent = defineEventType<HttpRequestEvent<AnyBody>>('sleet.http.DELETE', { short: 'HttpDelete' });
export const HttpPatchEvent = defineEventType<HttpRequestEvent<AnyBody>>('sleet.http.PATCH', { short: 'HttpPatch' });

/** The request methods the adaptor serves, with their event types. */
export const httpRequestEventTypes: Readonly<Record<string, EventType<HttpRequestEvent>>> = {
  GET: HttpGetEvent,
  POST: HttpPostEvent,
  PUT: HttpPutEvent,
  DELETE: HttpDeleteEvent,
  PATCH: HttpPatchEvent,
};

/** The answer to an SBB's outgoing request, fired on its HTTP-client activity. */
export interface HttpResponseEvent extends ActivityEvent<HttpClientActivity> {
  readonly request: HttpClientActivity;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON when the response says it is JSON, text otherwise, undefined when empty. */
  readonly body: unknown;
}

/** An outgoing request that got no answer: connection failure or timeout. */
export interface HttpClientErrorEvent extends ActivityEvent<HttpClientActivity> {
  readonly request: HttpClientActivity;
  /** `TIMEOUT`, a system error code such as `ECONNREFUSED`, or `ERROR`. */
  readonly code: string;
  readonly message: string;
}

export const HttpResponseEventType = defineEventType<HttpResponseEvent>('sleet.http.Response', { short: 'HttpResponse' });
export const HttpClientErrorEventType = defineEventType<HttpClientErrorEvent>('sleet.http.ClientError', { short: 'HttpClientError' });

export const httpEventTypes: readonly EventType[] = [...Object.values(httpRequestEventTypes), HttpResponseEventType, HttpClientErrorEventType];
