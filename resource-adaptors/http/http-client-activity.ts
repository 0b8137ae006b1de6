/** One outgoing HTTP request made by an SBB; its result arrives on it as HttpResponse or HttpClientError. */
export interface HttpClientActivity {
  readonly handle: string;
  readonly method: string;
  readonly url: string;
}

export interface HttpClientRequest {
  /** Default GET. */
  method?: string;
  url: string;
  headers?: Record<string, string>;
  /** Strings and bytes are sent as they are; anything else as JSON. */
  body?: unknown;
  /** Default: the adaptor's `requestTimeoutMs`. */
  timeoutMs?: number;
}
