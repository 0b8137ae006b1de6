import { logOut, token } from './session';

/** An error answer of the management API: `{ code, message, details }` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Body = { json: unknown } | { raw: BodyInit; type: string };

/**
 * Calls the management API with the session's token as
 * `Authorization: Bearer`. A 401 ends the session, which shows the login.
 */
export async function api<T>(method: string, path: string, body?: Body): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token.get() ?? ''}` };
  let payload: BodyInit | undefined;
  if (body && 'json' in body) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body.json);
  } else if (body) {
    headers['content-type'] = body.type;
    payload = body.raw;
  }
  const response = await fetch(path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await response.text();
  if (!response.ok) {
    const error = parseError(response.status, text);
    if (response.status === 401) logOut();
    throw error;
  }
  const type = response.headers.get('content-type') ?? '';
  return (type.startsWith('application/json') && text ? JSON.parse(text) : text) as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, json: unknown = {}) => api<T>('POST', path, { json });
export const put = <T>(path: string, json: unknown) => api<T>('PUT', path, { json });
export const patch = <T>(path: string, json: unknown) => api<T>('PATCH', path, { json });
export const del = <T>(path: string) => api<T>('DELETE', path);

/** One path segment, escaped. */
export const seg = (value: string) => encodeURIComponent(value);

function parseError(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as { code?: string; message?: string; details?: unknown };
    return new ApiError(status, body.code ?? `HTTP_${status}`, body.message ?? text, body.details);
  } catch {
    return new ApiError(status, `HTTP_${status}`, text || `HTTP ${status}`);
  }
}
