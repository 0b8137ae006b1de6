import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { fastify, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import type { Management } from '../management.js';
import { operations, type OperationName } from '../api/operations.js';
import type { OperationSpec } from '../api/operation-spec.js';
import { operationHandlers, type AfterResponse, type OperationHandler } from './operation-handlers.js';
import { errorReply, invalidInput } from './error-reply.js';
import { openApiDocument } from './openapi-document.js';
import { PUBLIC_ROUTES } from './public-routes.js';
import { bearerTokenMatches } from './bearer-token.js';
import { NotificationStreams, refuseUpgrade } from './notification-streams.js';
import { DEFAULT_CONSOLE_DIR, serveConsole } from './console-assets.js';

export interface ManagementServerOptions {
  management: Management;
  /** The bearer token every request must carry. */
  token: string;
  logger?: Logger;
  /** Shown as the API version in the OpenAPI document. */
  version?: string;
  /** Largest request body (bundles, imports); default 256 MiB. */
  bodyLimit?: number;
  /** PEM certificate and key: HTTPS instead of HTTP. */
  tls?: { cert: Buffer; key: Buffer };
  /** Serves `GET /metrics`; without the token unless `auth`. */
  metrics?: MetricsEndpoint;
  /** The built web console served at `/console/`; default dist/console. */
  consoleDir?: string;
}

/** The Prometheus exposition the server serves at `/metrics`. */
interface MetricsEndpoint {
  readonly contentType: string;
  metrics(): Promise<string>;
  /** Whether scrapes need the management token. */
  readonly auth: boolean;
}

const BINARY_TYPES = ['application/gzip', 'application/x-gzip', 'application/octet-stream', 'application/x-tar'];
const TEXT_TYPES = ['text/csv', 'application/x-ndjson'];

/**
 * The management REST API: one route per entry of the operation table,
 * `GET /openapi.json`, `GET /metrics` (Prometheus), and notifications over
 * SSE (`GET /notifications`) and WebSocket (`/notifications/ws`). Every
 * request needs the bearer token, except the routes in PUBLIC_ROUTES, and
 * `/metrics` unless asked to.
 */
export class ManagementServer {
  readonly app: FastifyInstance;
  private readonly streams: NotificationStreams;
  private address: string | null = null;

  constructor(private readonly options: ManagementServerOptions) {
    // Per-request logs stay below warn: operators see failures, not every poll.
    const logger = options.logger?.child({ component: 'management-rest' }, { level: 'warn' });
    const app = fastify({
      bodyLimit: options.bodyLimit ?? 256 * 1024 * 1024,
      ...(logger ? { loggerInstance: logger } : {}),
      ...(options.tls ? { https: options.tls } : {}),
    });
    this.app = app as unknown as FastifyInstance;
    this.streams = new NotificationStreams(options.management.notifications);
    app.addContentTypeParser(BINARY_TYPES, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.addContentTypeParser(TEXT_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));
    const metrics = options.metrics;
    const open = (req: FastifyRequest) => metrics !== undefined && !metrics.auth && req.method === 'GET' && req.url.split('?')[0] === '/metrics';
    app.addHook('onRequest', async (req) => {
      if (req.routeOptions.url !== undefined && PUBLIC_ROUTES.has(req.routeOptions.url)) return;
      if (open(req)) return;
      if (!bearerTokenMatches(req.headers.authorization, options.token)) {
        throw new SleetError(ErrorCode.MANAGEMENT_UNAUTHORIZED, 'missing or wrong bearer token (Authorization: Bearer <token>)');
      }
    });
    app.setErrorHandler((err, req, reply) => {
      const { status, body } = errorReply(err);
      if (status >= 500) req.log.error({ err }, 'management operation failed');
      void reply.status(status).send(body);
    });
    app.setNotFoundHandler((req, reply) => {
      void reply.status(404).send({ code: ErrorCode.UNKNOWN_COMPONENT, message: `no management route ${req.method} ${req.url}` });
    });
    for (const [name, spec] of Object.entries(operations) as Array<[OperationName, OperationSpec]>) this.route(name, spec);
    const document = openApiDocument(options.version ?? '0');
    app.get('/openapi.json', async () => document);
    if (metrics) app.get('/metrics', async (_req, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));
    serveConsole(this.app, options.consoleDir ?? DEFAULT_CONSOLE_DIR);
    app.get('/notifications', (req, reply) => {
      reply.hijack();
      this.streams.openEventStream(req.raw, reply.raw);
    });
    app.server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path !== '/notifications/ws') return refuseUpgrade(socket, 404, 'Not Found');
      if (!bearerTokenMatches(req.headers.authorization, options.token)) return refuseUpgrade(socket, 401, 'Unauthorized');
      this.streams.upgrade(req, socket, head);
    });
    app.addHook('preClose', async () => this.streams.close());
  }

  /** Listens and returns the base URL (`http://host:port`, `https://` with TLS). Port 0 picks a free port. */
  async listen(host: string, port: number): Promise<string> {
    // Exclusive: in a `--workers` worker a listener is this process's, not one node:cluster shares (port 0 would be the same for all).
    await this.app.listen({ host, port, exclusive: true });
    const address = this.app.server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.address = `${this.options.tls ? 'https' : 'http'}://${shown}:${address.port}`;
    return this.address;
  }

  get url(): string {
    if (!this.address) throw new SleetError(ErrorCode.INVALID_STATE, 'the management server is not listening');
    return this.address;
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  private route(name: OperationName, spec: OperationSpec): void {
    const handler = operationHandlers[name] as OperationHandler<OperationName>;
    const management = this.options.management;
    this.app.route({
      method: spec.method,
      url: spec.path,
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const input = { ...parse('params', spec.params, req.params), ...parse('query', spec.query, req.query), ...parseBody(spec.body, req.body) };
        const tasks: Array<() => Promise<void>> = [];
        const after: AfterResponse = (task) => tasks.push(task);
        reply.raw.once('finish', () => runAfter(tasks, req));
        const result = await handler(management, input as never, after);
        if (spec.produces === 'text') {
          const format = (input as { format?: string }).format;
          return reply
            .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
            .send(Readable.from(result as AsyncIterable<string>));
        }
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(result ?? null));
      },
    });
  }
}

function parse(location: 'params' | 'query', schema: z.ZodObject | undefined, value: unknown): Record<string, unknown> {
  if (!schema) return {};
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw invalidInput(location, result.error);
  return result.data as Record<string, unknown>;
}

function parseBody(body: OperationSpec['body'], value: unknown): Record<string, unknown> {
  if (!body) return {};
  if (body === 'binary') {
    if (!Buffer.isBuffer(value))
      throw new SleetError(ErrorCode.MANAGEMENT_INVALID_INPUT, 'the body must be bundle bytes (content-type application/gzip)', {
        details: [{ location: 'body', field: '', message: 'expected binary content' }],
      });
    return { data: value };
  }
  if (body === 'text') {
    // A JSON import sent as application/json arrives parsed; the importer reads text.
    if (typeof value === 'string') return { data: value };
    if (value !== undefined && value !== null) return { data: JSON.stringify(value) };
    throw new SleetError(ErrorCode.MANAGEMENT_INVALID_INPUT, 'the body must be the document to import', {
      details: [{ location: 'body', field: '', message: 'expected a CSV or JSON document' }],
    });
  }
  const result = body.safeParse(value ?? {});
  if (!result.success) throw invalidInput('body', result.error);
  return result.data as Record<string, unknown>;
}

function runAfter(tasks: Array<() => Promise<void>>, req: FastifyRequest): void {
  for (const task of tasks) task().catch((err: unknown) => req.log.error({ err }, 'post-response task failed'));
}
