import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ConfigProperties, ResourceAdaptor } from '../../slee/resource-adaptor/resource-adaptor.js';
import type { TimerHandle } from '../../base/clock/clock.js';
import type { ResourceAdaptorContext } from '../../slee/resource-adaptor/resource-adaptor-context.js';
import type { HttpClientActivity, HttpClientRequest } from './http-client-activity.js';
import { HttpClientErrorEventType, HttpResponseEventType, httpEventTypes, httpRequestEventTypes } from './http-events.js';
import type { HttpProvider } from './http-provider.js';
import type { HttpRequestActivity } from './http-request-activity.js';
import { HttpRoute, type HttpRouteOptions } from './http-route.js';
import { isJson, parseBody, readBody } from './http-body.js';
import { writeReply } from './http-reply.js';
import { HTTP_AUTH_CHALLENGE, httpAuthorized } from './http-auth.js';
import { resolveHttpConfig, type HttpConfig } from './http-config.js';

/** An incoming request the adaptor still has to see answered. */
interface Exchange {
  readonly res: ServerResponse;
  answered: boolean;
  timer: TimerHandle | null;
}

/**
 * HTTP for SBBs. Incoming requests become HTTP-request activities with an
 * event per method (HttpGet, HttpPost...); SBBs answer through
 * `HttpProvider.respond`. Whatever the SLEE leaves unanswered is answered
 * here: 404 when no SBB answered, 500 when a handler failed, 504 on timeout,
 * 503 when the activity ended unanswered. Outgoing requests are
 * HTTP-client activities whose result arrives as an event.
 */
export class HttpResourceAdaptor implements ResourceAdaptor {
  readonly eventTypes = httpEventTypes;
  private context: ResourceAdaptorContext | null = null;
  private config: HttpConfig = resolveHttpConfig({});
  private server: Server | null = null;
  private readonly routes = new Map<string, HttpRoute>();
  private readonly exchanges = new Map<string, Exchange>();
  private readonly clientCalls = new Map<string, AbortController>();
  private nextHandle = 1;
  private readonly provider: HttpProvider = {
    route: (method, pattern, options) => this.route(method, pattern, options),
    respond: (activity, status, body, headers) => this.respond(activity, status, body, headers),
    request: (request) => this.request(request),
  };

  setResourceAdaptorContext(context: ResourceAdaptorContext): void {
    this.context = context;
  }

  raVerifyConfiguration(config: ConfigProperties): void {
    resolveHttpConfig(config);
  }

  raConfigure(config: ConfigProperties): void {
    this.config = resolveHttpConfig(config);
  }

  async raActive(): Promise<void> {
    const server = createServer((req, res) => {
      this.accept(req, res).catch((err: unknown) => this.acceptFailed(req, res, err));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Exclusive: in a `--workers` worker a listener is this process's, not one node:cluster shares.
      server.listen({ port: this.config.port, host: this.config.host, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  /** No new connections; requests in progress still get their answers. */
  raStopping(): void {
    this.server?.close();
  }

  async raInactive(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const call of this.clientCalls.values()) call.abort();
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  getSbbInterface(): HttpProvider {
    return this.provider;
  }

  /** The address the server listens on (its port when configured with port 0). */
  get address(): AddressInfo | null {
    return (this.server?.address() as AddressInfo | null) ?? null;
  }

  activityEnded(handle: string): void {
    this.clientCalls.delete(handle);
    const exchange = this.exchanges.get(handle);
    if (!exchange) return;
    this.exchanges.delete(handle);
    if (exchange.timer !== null) this.endpointClock().cancel(exchange.timer);
    if (!exchange.answered) writeReply(exchange.res, 503, { error: 'the request ended unanswered' });
  }

  route(method: string, pattern: string, options: HttpRouteOptions = {}): void {
    const route = new HttpRoute(method.toUpperCase(), pattern, options);
    this.routes.set(`${route.method} ${route.pattern}`, route);
  }

  respond(activity: HttpRequestActivity, status: number, body?: unknown, headers?: Record<string, string>): void {
    const exchange = this.exchanges.get(activity.handle);
    if (!exchange || exchange.answered) {
      throw new SleetError(ErrorCode.HTTP_ALREADY_ANSWERED, `HTTP request ${activity.method} ${activity.path} was already answered, timed out or ended`);
    }
    this.answer(activity.handle, exchange, status, body, headers);
  }

  request(request: HttpClientRequest): HttpClientActivity {
    const context = this.requireContext();
    const method = (request.method ?? 'GET').toUpperCase();
    const activity: HttpClientActivity = { handle: `client-${this.nextHandle++}`, method, url: request.url };
    context.endpoint.startActivity(activity.handle, activity);
    const controller = new AbortController();
    this.clientCalls.set(activity.handle, controller);
    void this.perform(activity, request, controller);
    return activity;
  }

  private async perform(activity: HttpClientActivity, request: HttpClientRequest, controller: AbortController): Promise<void> {
    const headers: Record<string, string> = { ...request.headers };
    let body: string | Uint8Array | undefined;
    if (request.body === undefined || typeof request.body === 'string' || request.body instanceof Uint8Array) body = request.body;
    else {
      body = JSON.stringify(request.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    let timedOut = false;
    const timer = this.endpointClock().schedule(request.timeoutMs ?? this.config.requestTimeoutMs, () => {
      timedOut = true;
      controller.abort();
    });
    try {
      const response = await fetch(request.url, { method: activity.method, headers, ...(body !== undefined ? { body } : {}), signal: controller.signal });
      const text = await response.text();
      const contentType = response.headers.get('content-type') ?? undefined;
      const parsed = parseBody(text, contentType);
      const event = {
        request: activity,
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: parsed.ok ? parsed.body : text,
      };
      this.finishClientCall(activity, () => this.requireContext().endpoint.fireEvent(activity.handle, HttpResponseEventType, event));
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const code = timedOut ? 'TIMEOUT' : (cause?.code ?? 'ERROR');
      const message = timedOut ? `no response within the timeout` : (cause?.message ?? (err as Error).message);
      this.finishClientCall(activity, () =>
        this.requireContext().endpoint.fireEvent(activity.handle, HttpClientErrorEventType, { request: activity, code, message }),
      );
    } finally {
      this.endpointClock().cancel(timer);
    }
  }

  /** Fires the result and ends the client activity, unless the SLEE already ended it (stopping). */
  private finishClientCall(activity: HttpClientActivity, fire: () => void): void {
    const endpoint = this.requireContext().endpoint;
    if (!this.clientCalls.has(activity.handle) || !endpoint.isActive(activity.handle)) return;
    try {
      fire();
      endpoint.endActivity(activity.handle);
    } catch (err) {
      this.requireContext().tracer.warning(`could not deliver the result of ${activity.method} ${activity.url}`, err);
    }
  }

  /**
   * Every refusal is decided here, before the SLEE sees the request: a
   * missing token (first, so routes are not revealed), a target that is no URL, a malformed %-escape, an unknown route, a body
   * too large, malformed or failing the route's schemas.
   */
  private async accept(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.config.authToken !== '' && !httpAuthorized(req.headers.authorization, this.config.authToken)) {
      req.resume();
      return writeReply(
        res,
        401,
        { error: 'missing or wrong token (Authorization: Bearer <token>, or Basic with the token as password)' },
        { 'www-authenticate': HTTP_AUTH_CHALLENGE },
      );
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const url = URL.parse(req.url ?? '/', 'http://localhost');
    if (url === null) return writeReply(res, 400, { error: 'malformed request target' });
    const path = url.pathname;
    const type = httpRequestEventTypes[method];
    if (!type) return writeReply(res, 405, { error: `method ${method} is not supported` }, { allow: Object.keys(httpRequestEventTypes).join(', ') });
    let matched;
    try {
      matched = this.match(method, path);
    } catch (err) {
      if (!SleetError.is(err, ErrorCode.HTTP_BAD_REQUEST)) throw err;
      return writeReply(res, 400, { error: err.message });
    }
    if (matched === 'no-route') return writeReply(res, 404, { error: `no route for ${method} ${path}` });
    const paramsSchema = matched?.route.options.params;
    let params = matched?.params ?? {};
    if (paramsSchema) {
      const result = paramsSchema.safeParse(params);
      if (!result.success) return writeReply(res, 400, { error: 'invalid path parameters', issues: issuesOf(result.error.issues) });
      params = result.data as Record<string, string>;
    }

    let read;
    try {
      read = await readBody(req, this.config.maxBodyBytes);
    } catch (err) {
      this.requireContext().tracer.fine(`reading a request body failed: ${(err as Error).message}`);
      return;
    }
    if (read.tooLarge) {
      req.resume();
      return writeReply(res, 413, { error: `the body exceeds ${this.config.maxBodyBytes} bytes` }, { connection: 'close' });
    }
    const parsed = parseBody(read.text, req.headers['content-type']);
    if (!parsed.ok) return writeReply(res, 400, { error: 'malformed JSON', detail: parsed.detail });
    let body = parsed.body;
    const schema = matched?.route.options.body;
    if (schema) {
      if (body !== undefined && !isJson(req.headers['content-type'])) {
        return writeReply(res, 415, { error: 'this route takes a JSON body (content-type application/json)' });
      }
      const result = schema.safeParse(body);
      if (!result.success) return writeReply(res, 400, { error: 'invalid body', issues: issuesOf(result.error.issues) });
      body = result.data;
    }

    const activity: HttpRequestActivity = {
      handle: `request-${this.nextHandle++}`,
      method,
      path,
      query: queryOf(url),
      headers: req.headers,
      body,
      params,
      route: matched?.route.pattern ?? null,
    };
    this.dispatch(activity, res);
  }

  /**
   * A fault of this adaptor while taking a request in: answered 500 (when
   * nothing was sent yet) and alarmed, so one bad request never goes
   * unanswered or unnoticed.
   */
  private acceptFailed(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    const context = this.context;
    context?.tracer.warning(`taking in ${req.method} ${req.url?.slice(0, 200)} failed`, err);
    context?.alarms.raiseAlarm('sleet.http.request-failed', 'accept', 'MINOR', `an HTTP request could not be taken in: ${(err as Error).message}`, err);
    if (!res.headersSent) writeReply(res, 500, { error: 'the request could not be handled' });
    else res.destroy();
  }

  private dispatch(activity: HttpRequestActivity, res: ServerResponse): void {
    const context = this.requireContext();
    const exchange: Exchange = { res, answered: false, timer: null };
    try {
      context.endpoint.startActivity(activity.handle, activity);
    } catch (err) {
      context.tracer.fine(`request refused: ${(err as Error).message}`);
      return writeReply(res, 503, { error: 'the service is not available' });
    }
    this.exchanges.set(activity.handle, exchange);
    exchange.timer = context.clock.schedule(this.config.requestTimeoutMs, () => {
      if (exchange.answered) return;
      try {
        this.answer(activity.handle, exchange, 504, { error: 'no answer within the request timeout' });
      } catch (err) {
        context.tracer.warning(`answering ${activity.method} ${activity.path} on timeout failed`, err);
      }
    });
    try {
      context.endpoint.fireEvent(
        activity.handle,
        httpRequestEventTypes[activity.method]!,
        { request: activity },
        {
          address: activity.path,
          onProcessed: (failed) => {
            if (exchange.answered) return;
            if (failed) this.answer(activity.handle, exchange, 500, { error: 'a service failed handling the request' });
            else this.answer(activity.handle, exchange, 404, { error: `no service answered ${activity.method} ${activity.path}` });
          },
        },
      );
    } catch (err) {
      context.tracer.fine(`request refused: ${(err as Error).message}`);
      this.answer(activity.handle, exchange, 503, { error: 'the service is not available' });
    }
  }

  /** Written first: a body or header that cannot be sent throws to the caller and leaves the request for the adaptor to answer. */
  private answer(handle: string, exchange: Exchange, status: number, body?: unknown, headers?: Record<string, string>): void {
    writeReply(exchange.res, status, body, headers);
    exchange.answered = true;
    if (exchange.timer !== null) this.endpointClock().cancel(exchange.timer);
    const endpoint = this.requireContext().endpoint;
    if (endpoint.isActive(handle)) endpoint.endActivity(handle);
  }

  /** The matching route, null when none is registered (every request goes to the SLEE), or 'no-route'. */
  private match(method: string, path: string): { route: HttpRoute; params: Record<string, string> } | null | 'no-route' {
    if (this.routes.size === 0) return null;
    for (const route of this.routes.values()) {
      if (route.method !== method) continue;
      const params = route.match(path);
      if (params) return { route, params };
    }
    return 'no-route';
  }

  private endpointClock() {
    return this.requireContext().clock;
  }

  private requireContext(): ResourceAdaptorContext {
    if (!this.context) throw new SleetError(ErrorCode.INVALID_STATE, 'the HTTP resource adaptor is not part of a SLEE yet');
    return this.context;
  }
}

function issuesOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Array<{ path: string; message: string }> {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return query;
}
