import type { IncomingHttpHeaders } from 'node:http';

/**
 * One incoming HTTP request, as an activity: it ends when an SBB responds (or the adaptor answers for it).
 * `B` is its body as the route's schema validated it.
 */
export interface HttpRequestActivity<B = unknown> {
  readonly handle: string;
  readonly method: string;
  /** The path without the query string, e.g. `/calls/42`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly headers: Readonly<IncomingHttpHeaders>;
  /** Parsed JSON (validated by the route's schema, if it has one), text, or undefined when empty. */
  readonly body: B;
  /** Values of the matched route's `:name` segments. */
  readonly params: Readonly<Record<string, string>>;
  /** The matched route pattern, e.g. `/calls/:id`; null when no route is registered. */
  readonly route: string | null;
}
