import { z } from 'zod';
import { operations, type OperationName } from '../api/operations.js';
import type { OperationSpec } from '../api/operation-spec.js';

type JsonSchema = Record<string, unknown>;

/**
 * Builds the OpenAPI 3 document from the operation table, so it lists
 * exactly the routes the server registers, with the schemas it validates.
 */
export function openApiDocument(version: string): Record<string, unknown> {
  const components: Record<string, JsonSchema> = {
    Error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
      required: ['code', 'message'],
    },
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(operations) as Array<[OperationName, OperationSpec]>) {
    const schema = (s: z.ZodType, io: 'input' | 'output') => toSchema(s, io, name, components);
    const parameters = [
      ...fields(spec.params).map(([key, s]) => ({ name: key, in: 'path', required: true, schema: schema(s, 'input') })),
      ...fields(spec.query).map(([key, s]) => ({ name: key, in: 'query', required: !s.safeParse(undefined).success, schema: schema(s, 'input') })),
    ];
    const operation: Record<string, unknown> = {
      operationId: name,
      tags: [spec.tag],
      summary: spec.summary,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(spec.body ? { requestBody: { required: true, content: requestContent(spec.body, (s) => schema(s, 'input')) } } : {}),
      responses: {
        '200': {
          description: 'OK',
          content:
            spec.produces === 'text'
              ? { 'text/csv': { schema: { type: 'string' } }, 'application/json': { schema: {} } }
              : { 'application/json': { schema: schema(spec.response, 'output') } },
        },
        default: {
          description: 'An error: 400 invalid input, 401 no or bad token, 404 unknown, 409 invalid state',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
    const path = spec.path.replace(/:([A-Za-z]+)/g, '{$1}');
    (paths[path] ??= {})[spec.method.toLowerCase()] = operation;
  }
  paths['/notifications'] = {
    get: {
      operationId: 'notifications',
      tags: ['notifications'],
      summary: 'Management notifications as server-sent events (also over WebSocket at /notifications/ws)',
      responses: { '200': { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
    },
  };
  return {
    openapi: '3.0.3',
    info: { title: 'Sleet management API', version },
    security: [{ bearer: [] }],
    paths,
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}

function fields(shape: z.ZodObject | undefined): Array<[string, z.ZodType]> {
  return shape ? (Object.entries(shape.shape) as Array<[string, z.ZodType]>) : [];
}

function requestContent(body: NonNullable<OperationSpec['body']>, schema: (s: z.ZodType) => JsonSchema): Record<string, unknown> {
  if (body === 'binary') return { 'application/gzip': { schema: { type: 'string', format: 'binary' } } };
  if (body === 'text') return { 'text/csv': { schema: { type: 'string' } }, 'text/plain': { schema: { type: 'string' } } };
  return { 'application/json': { schema: schema(body) } };
}

/** zod's definitions (for recursive schemas) become named components, so every $ref resolves within the document. */
function toSchema(schema: z.ZodType, io: 'input' | 'output', prefix: string, components: Record<string, JsonSchema>): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as JsonSchema;
  const definitions = json.definitions as Record<string, JsonSchema> | undefined;
  delete json.definitions;
  delete json.$schema;
  const rename = (id: string) => `${prefix}_${id.replace(/[^A-Za-z0-9_]/g, '')}`;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')
          ? `#/components/schemas/${rename(v.slice('#/definitions/'.length))}`
          : rewrite(v);
    }
    return out;
  };
  for (const [id, def] of Object.entries(definitions ?? {})) components[rename(id)] = rewrite(def) as JsonSchema;
  return rewrite(json) as JsonSchema;
}
