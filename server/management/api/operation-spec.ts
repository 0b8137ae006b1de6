import type { z } from 'zod';

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One management operation as data: the REST server registers a route from
 * it, the OpenAPI document describes it, and the client calls it.
 * `body: 'binary'` takes raw bytes (`application/gzip`), `'text'` a text
 * document (CSV or JSON); both reach the handler as `data`.
 */
export interface OperationSpec {
  readonly method: HttpMethod;
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodObject | 'binary' | 'text';
  readonly response: z.ZodType;
  /** `text` for operations that answer with a document (profile export). */
  readonly produces?: 'json' | 'text';
}

type Part<T> = T extends z.ZodType ? z.input<T> : unknown;
type PartOut<T> = T extends z.ZodType ? z.output<T> : unknown;
type BodyIn<B> = B extends 'binary' ? { data: Uint8Array } : B extends 'text' ? { data: string } : Part<B>;
type BodyOut<B> = B extends 'binary' ? { data: Buffer } : B extends 'text' ? { data: string } : PartOut<B>;
type Flatten<T> = { [K in keyof T]: T[K] };

/** What a caller passes: path parameters, query and body fields in one object. */
export type OperationInput<S extends OperationSpec> = Flatten<Part<S['params']> & Part<S['query']> & BodyIn<S['body']>>;
/** What a handler receives once the input is validated. */
export type OperationParsedInput<S extends OperationSpec> = Flatten<PartOut<S['params']> & PartOut<S['query']> & BodyOut<S['body']>>;
export type OperationOutput<S extends OperationSpec> = z.output<S['response']>;
