import type { ZodType } from 'zod';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';

export interface HttpRouteOptions {
  /** Requests whose JSON body fails this schema get 400 with the issues, without reaching the SBBs. */
  body?: ZodType;
  /** Requests whose `:name` parameters fail this schema (an object schema) get 400 with the issues. */
  params?: ZodType;
}

/** A route pattern such as `/calls/:id`: literal segments and named parameters. */
export class HttpRoute {
  private readonly segments: readonly string[];

  constructor(
    readonly method: string,
    readonly pattern: string,
    readonly options: HttpRouteOptions = {},
  ) {
    if (!pattern.startsWith('/')) throw new SleetError(ErrorCode.HTTP_ROUTE_INVALID, `route pattern '${pattern}' must start with '/'`);
    this.segments = splitPath(pattern);
    const names = this.segments.filter((s) => s.startsWith(':')).map((s) => s.slice(1));
    if (names.some((n) => n === '')) throw new SleetError(ErrorCode.HTTP_ROUTE_INVALID, `route pattern '${pattern}' has a parameter without a name`);
    if (new Set(names).size !== names.length) throw new SleetError(ErrorCode.HTTP_ROUTE_INVALID, `route pattern '${pattern}' repeats a parameter name`);
  }

  /** The parameters when `path` matches, else null; throws SleetError(HTTP_BAD_REQUEST) for a malformed %-escape in a parameter. */
  match(path: string): Record<string, string> | null {
    const parts = splitPath(path);
    if (parts.length !== this.segments.length) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const segment = this.segments[i]!;
      const part = parts[i]!;
      if (segment.startsWith(':')) params[segment.slice(1)] = decodeParam(part);
      else if (segment !== part) return null;
    }
    return params;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function decodeParam(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new SleetError(ErrorCode.HTTP_BAD_REQUEST, `malformed percent-encoding in path segment '${part.slice(0, 64)}'`);
  }
}
