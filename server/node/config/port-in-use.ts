import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { envName, flagName, type NodeConfig, type NodeConfigKey } from './node-config.js';

/** The settings that name a port a node listens on, and what listens there. */
const PORT_SETTINGS: ReadonlyArray<[NodeConfigKey, string]> = [
  ['sipPort', 'SIP'],
  ['sipTlsPort', 'SIP over TLS'],
  ['sipWsPort', 'SIP over WebSocket'],
  ['sipWssPort', 'SIP over secure WebSocket'],
  ['httpPort', 'the HTTP resource adaptor'],
  ['managementPort', 'the management API'],
];

/**
 * A listen that failed because its port is taken, told as the operator can
 * act on it: which setting chose the port, and its flag and environment
 * variable. Null for any other error.
 */
export function portInUse(err: unknown, config: NodeConfig): SleetError | null {
  const { code, port, address } = (err ?? {}) as { code?: unknown; port?: unknown; address?: unknown };
  if (code !== 'EADDRINUSE' || typeof port !== 'number') return null;
  const settings = PORT_SETTINGS.filter(([key]) => (config as Record<string, unknown>)[key] === port);
  const named = settings.map(([key, what]) => `${what}: ${flagName(key)} / ${envName(key)}`);
  const where = typeof address === 'string' ? `${address}:${port}` : String(port);
  const advice = named.length > 0 ? `give ${named.join(', or ')} another port` : 'choose other ports';
  return new SleetError(ErrorCode.PORT_IN_USE, `port ${where} is already in use: stop what holds it, or ${advice}`, { cause: err });
}
