import { WebSocket } from 'ws';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode, isSleetErrorCode } from '../../../base/errors/error-codes.js';
import { operations, type OperationName, type Operations } from '../api/operations.js';
import type { OperationInput, OperationOutput, OperationSpec } from '../api/operation-spec.js';
import { managementNotificationSchema, type ManagementNotification } from '../api/notification-schema.js';
import { readEventStream } from './read-event-stream.js';

interface ManagementClientOptions {
  /** Base URL of the management API, e.g. `http://127.0.0.1:9797`. */
  url: string;
  token: string;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a type test: may the input be left out?
type Args<I> = {} extends I ? [input?: I] : [input: I];

/** One typed method per management operation, named as in the operation table. */
type ManagementClientMethods = {
  [K in OperationName]: (...args: Args<OperationInput<Operations[K]>>) => Promise<OperationOutput<Operations[K]>>;
};

interface NotificationSubscription {
  close(): void;
}

interface SubscribeOptions {
  /** Server-sent events (default) or WebSocket. */
  transport?: 'sse' | 'ws';
  /** Called if the stream fails after it was opened. */
  onError?: (err: Error) => void;
}

// The methods are made from the operation table at run time; this merge gives them their types.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface ManagementClient extends ManagementClientMethods {}

/**
 * The typed management client: `client.raEntityCreate({ name, type,
 * properties })`, `client.alarmList()`... Errors come back as SleetError
 * with the server's code and details.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class ManagementClient {
  private readonly base: string;
  private readonly token: string;

  constructor(options: ManagementClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.token = options.token;
    for (const name of Object.keys(operations) as OperationName[]) {
      (this as Record<string, unknown>)[name] = (input: Record<string, unknown> = {}) => this.call(name, input);
    }
  }

  /** Calls an operation by name. */
  async call<K extends OperationName>(name: K, input: OperationInput<Operations[K]> | Record<string, unknown> = {}): Promise<OperationOutput<Operations[K]>> {
    const spec: OperationSpec = operations[name];
    const values = { ...(input as Record<string, unknown>) };
    const path = spec.path.replace(/:([A-Za-z]+)/g, (_m, key: string) => {
      const value = values[key];
      delete values[key];
      if (value === undefined) throw new SleetError(ErrorCode.MANAGEMENT_INVALID_INPUT, `${name} needs '${key}'`);
      return encodeURIComponent(String(value));
    });
    const query = new URLSearchParams();
    for (const key of Object.keys(spec.query?.shape ?? {})) {
      if (values[key] !== undefined) query.set(key, String(values[key]));
      delete values[key];
    }
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (spec.body === 'binary') {
      headers['content-type'] = 'application/gzip';
      body = values.data as Uint8Array<ArrayBuffer>;
    } else if (spec.body === 'text') {
      headers['content-type'] = 'text/plain; charset=utf-8';
      body = String(values.data);
    } else if (spec.body) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(values);
    }
    const url = `${this.base}${path}${query.size > 0 ? `?${query}` : ''}`;
    let response: Response;
    try {
      response = await fetch(url, { method: spec.method, headers, ...(body !== undefined ? { body } : {}) });
    } catch (err) {
      throw new SleetError(
        ErrorCode.MANAGEMENT_UNAVAILABLE,
        `cannot reach the management API at ${this.base}: ${(err as Error).cause ?? (err as Error).message}`,
        { cause: err },
      );
    }
    const text = await response.text();
    if (!response.ok) throw responseError(response.status, text);
    return (spec.produces === 'text' ? text : JSON.parse(text)) as OperationOutput<Operations[K]>;
  }

  /** Receives every management notification until the subscription is closed. Resolves once connected. */
  async subscribe(listener: (n: ManagementNotification) => void, options: SubscribeOptions = {}): Promise<NotificationSubscription> {
    return options.transport === 'ws' ? this.subscribeWs(listener, options) : this.subscribeSse(listener, options);
  }

  private async subscribeSse(listener: (n: ManagementNotification) => void, options: SubscribeOptions): Promise<NotificationSubscription> {
    const abort = new AbortController();
    const response = await fetch(`${this.base}/notifications`, {
      headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' },
      signal: abort.signal,
    });
    if (!response.ok || !response.body) throw responseError(response.status, await response.text());
    readEventStream(response.body, (data) => listener(managementNotificationSchema.parse(JSON.parse(data)))).catch((err: Error) => {
      if (!abort.signal.aborted) options.onError?.(err);
    });
    return { close: () => abort.abort() };
  }

  private subscribeWs(listener: (n: ManagementNotification) => void, options: SubscribeOptions): Promise<NotificationSubscription> {
    const ws = new WebSocket(`${this.base.replace(/^http/, 'ws')}/notifications/ws`, { headers: { authorization: `Bearer ${this.token}` } });
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        ws.on('error', (err) => options.onError?.(err));
        resolve({ close: () => ws.close() });
      });
      ws.once('unexpected-response', (_req, res) => {
        reject(responseError(res.statusCode ?? 500, ''));
        ws.terminate();
      });
      ws.once('error', reject);
      ws.on('message', (data) => listener(managementNotificationSchema.parse(JSON.parse(String(data)))));
    });
  }
}

function responseError(status: number, text: string): SleetError {
  let body: { code?: string; message?: string; details?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not JSON: keep the status as the message.
  }
  const code =
    body.code !== undefined && isSleetErrorCode(body.code) ? body.code : status === 401 ? ErrorCode.MANAGEMENT_UNAUTHORIZED : ErrorCode.MANAGEMENT_INTERNAL;
  const error = new SleetError(code, body.message ?? `HTTP ${status}`, body.details !== undefined ? { details: body.details } : undefined);
  return Object.assign(error, { status });
}
