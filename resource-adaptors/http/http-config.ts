import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ConfigProperties } from '../../slee/resource-adaptor/resource-adaptor.js';
import type { ConfigPropertyDescriptor } from '../../slee/resource-adaptor/resource-adaptor-type.js';

export interface HttpConfig {
  readonly host: string;
  readonly port: number;
  readonly maxBodyBytes: number;
  readonly requestTimeoutMs: number;
  /** Empty: no authentication. */
  readonly authToken: string;
}

export const httpConfigProperties: readonly ConfigPropertyDescriptor[] = [
  { name: 'host', type: 'string', default: '127.0.0.1', description: 'Address the server listens on' },
  { name: 'port', type: 'number', default: 8080, description: 'Port the server listens on; 0 picks a free one' },
  { name: 'maxBodyBytes', type: 'number', default: 1_048_576, description: 'Larger request bodies are answered 413' },
  { name: 'requestTimeoutMs', type: 'number', default: 30_000, description: 'Unanswered requests get 504 after this; also the default client timeout' },
  { name: 'authToken', type: 'string', default: '', description: 'Requests must carry it (Bearer, or Basic password), else 401; empty: no authentication' },
];

/** Fills defaults and checks the values, listing every problem at once. */
export function resolveHttpConfig(config: ConfigProperties): HttpConfig {
  const value = (name: string) => config[name] ?? httpConfigProperties.find((p) => p.name === name)!.default;
  const resolved = {
    host: value('host'),
    port: value('port'),
    maxBodyBytes: value('maxBodyBytes'),
    requestTimeoutMs: value('requestTimeoutMs'),
    authToken: value('authToken'),
  };
  const errors: string[] = [];
  if (typeof resolved.host !== 'string' || resolved.host === '') errors.push('host must be a non-empty string');
  if (!Number.isInteger(resolved.port) || (resolved.port as number) < 0 || (resolved.port as number) > 65535)
    errors.push('port must be an integer in 0..65535');
  if (!Number.isInteger(resolved.maxBodyBytes) || (resolved.maxBodyBytes as number) < 0) errors.push('maxBodyBytes must be a non-negative integer');
  if (typeof resolved.requestTimeoutMs !== 'number' || !(resolved.requestTimeoutMs > 0)) errors.push('requestTimeoutMs must be a positive number');
  if (typeof resolved.authToken !== 'string' || (resolved.authToken !== '' && resolved.authToken.length < 16))
    errors.push('authToken must be empty or at least 16 characters');
  if (errors.length > 0)
    throw new SleetError(ErrorCode.CONFIG_INVALID, `invalid HTTP resource adaptor configuration: ${errors.join('; ')}`, { details: errors });
  return resolved as HttpConfig;
}
