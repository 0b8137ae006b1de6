import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Management } from '../management/management.js';
import type { ConfigProperties } from '../resource-adaptor/resource-adaptor.js';
import type { NodeConfig } from './node-config.js';
import { ROUTE_SECRET_FILE } from './data-files.js';

interface DefaultEntity {
  name: string;
  type: string;
  link: string;
  config: ConfigProperties;
}

/** The SIP and HTTP entities every node runs, configured from the start flags. */
export function defaultEntities(config: NodeConfig): DefaultEntity[] {
  return [
    { name: 'sip', type: 'sip', link: 'sip', config: sipEntityConfig(config) },
    { name: 'http', type: 'http', link: 'http', config: { port: config.httpPort } },
  ];
}

/** The SIP RA's properties from the start settings: TLS only when a TLS port is given. */
function sipEntityConfig(config: NodeConfig): ConfigProperties {
  const sip: ConfigProperties = {
    host: config.sipHost,
    port: config.sipPort,
    domains: config.domain.join(','),
    routeSecretFile: join(resolve(config.dataDir), ROUTE_SECRET_FILE),
    transports: config.sipTlsPort === undefined ? 'udp,tcp' : 'udp,tcp,tls',
    tcpIdleTimeoutMs: config.sipTcpIdleTimeoutMs,
    tcpMessageTimeoutMs: config.sipTcpMessageTimeoutMs,
    tcpMaxConnections: config.sipTcpMaxConnections,
    tcpMaxConnectionsPerSource: config.sipTcpMaxConnectionsPerSource,
  };
  if (config.sipTlsPort !== undefined) {
    sip.tlsPort = config.sipTlsPort;
    sip.tlsCert = config.tlsCert ?? '';
    sip.tlsKey = config.tlsKey ?? '';
    sip.tlsCa = config.tlsCa ?? '';
  }
  return sip;
}

/**
 * Creates the default entities on a fresh data directory; on a restart the
 * restored ones are reconfigured, so the flags of this start win over what
 * was persisted. Links are bound and the entities activated.
 */
export async function ensureDefaultEntities(management: Management, config: NodeConfig, logger: Logger): Promise<void> {
  const resources = management.resources;
  for (const entity of defaultEntities(config)) {
    const existing = resources.listEntities().find((e) => e.name === entity.name);
    if (existing) await resources.reconfigureEntity(entity.name, entity.config);
    else await resources.createEntity(entity.name, entity.type, entity.config);
    if (!resources.listLinks().some((l) => l.link === entity.link)) await resources.bindLink(entity.link, entity.name);
    if (resources.getEntity(entity.name).state === 'INACTIVE') await resources.activateEntity(entity.name);
    logger.debug({ entity: entity.name, config: entity.config }, 'default resource-adaptor entity ready');
  }
}
