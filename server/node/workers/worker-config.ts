import { isAbsolute, join, resolve } from 'node:path';
import type { NodeConfig } from '../config/node-config.js';

/**
 * A worker's configuration, derived from the node's in every worker the
 * same way. Each worker is a node of one cluster (state in Redis, the
 * Record-Route key shared): `--cluster` if given, else one named after the
 * SIP port. Worker 0 is the node an operator talks to: it keeps the data
 * directory, the management and HTTP ports and the TCP, TLS and WebSocket
 * listen points; the others take a data directory under it and any free
 * management and HTTP port, and serve UDP only. All share the profile store.
 */
export function workerConfig(config: NodeConfig, index: number): NodeConfig {
  const count = config.workers ?? 1;
  const ports = Array.from({ length: count }, (_, i) => config.sipPort + 1 + i);
  const first = index === 0;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- dropped: TLS and WebSocket stay on worker 0
  const { sipTlsPort, sipWsPort, sipWssPort, ...udpOnly } = config;
  return {
    ...(first ? config : udpOnly),
    dataDir: first ? config.dataDir : join(config.dataDir, 'workers', String(index)),
    profilesUrl: sharedProfilesUrl(config.profilesUrl),
    cluster: config.cluster ?? `workers-${config.sipPort}`,
    nodeId: `${config.nodeId}-w${index}`,
    httpPort: first ? config.httpPort : 0,
    managementPort: first ? config.managementPort : 0,
    worker: { index, ports },
  };
}

/** An SQLite path is made absolute: a worker's data directory is another. */
function sharedProfilesUrl(url: string): string {
  if (/^(mysql|mariadb):/i.test(url)) return url;
  const path = url.replace(/^sqlite:/i, '');
  return isAbsolute(path) ? url : resolve(path);
}
