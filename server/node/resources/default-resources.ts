import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Management } from '../../management/management.js';
import type { ConfigProperties } from '../../../slee/resource-adaptor/resource-adaptor.js';
import type { NodeConfig } from '../config/node-config.js';
import { ROUTE_SECRET_FILE } from '../data-dir/data-files.js';

interface DefaultEntity {
  name: string;
  type: string;
  link: string;
  config: ConfigProperties;
}

/** The SIP and HTTP entities every node runs, configured from the start flags; an empty httpToken turns HTTP authentication off. */
export function defaultEntities(config: NodeConfig, httpToken = ''): DefaultEntity[] {
  return [
    { name: 'sip', type: 'sip', link: 'sip', config: sipEntityConfig(config) },
    { name: 'http', type: 'http', link: 'http', config: { port: config.httpPort, authToken: httpToken } },
  ];
}

/** The SIP RA's properties from the start settings: TLS, WS and WSS only when their port is given. */
function sipEntityConfig(config: NodeConfig): ConfigProperties {
  const sip: ConfigProperties = {
    host: config.sipHost,
    port: config.sipPort,
    domains: config.domain.join(','),
    routeSecretFile: join(resolve(config.dataDir), ROUTE_SECRET_FILE),
    transports: [
      'udp',
      // A worker other than the first serves UDP only (see workerConfig).
      ...((config.worker?.index ?? 0) === 0 ? ['tcp'] : []),
      ...(config.sipTlsPort === undefined ? [] : ['tls']),
      ...(config.sipWsPort === undefined ? [] : ['ws']),
      ...(config.sipWssPort === undefined ? [] : ['wss']),
    ].join(','),
    tcpIdleTimeoutMs: config.sipTcpIdleTimeoutMs,
    tcpMessageTimeoutMs: config.sipTcpMessageTimeoutMs,
    tcpMaxConnections: config.sipTcpMaxConnections,
    tcpMaxConnectionsPerSource: config.sipTcpMaxConnectionsPerSource,
  };
  if (config.sipSessionExpires > 0) {
    sip.sessionExpires = config.sipSessionExpires;
    sip.sessionMinSE = config.sipMinSe;
  }
  if (config.dnsServers !== undefined) sip.dnsServers = config.dnsServers;
  // Always set: a restart without --workers must clear what a worker's start persisted.
  sip.workerPorts = config.worker?.ports.join(',') ?? '';
  sip.workerIndex = config.worker?.index ?? 0;
  if (config.sipWsPort !== undefined) sip.wsPort = config.sipWsPort;
  if (config.sipWssPort !== undefined) sip.wssPort = config.sipWssPort;
  if (config.sipTlsPort !== undefined || config.sipWssPort !== undefined) {
    if (config.sipTlsPort !== undefined) sip.tlsPort = config.sipTlsPort;
    sip.tlsCert = config.tlsCert ?? '';
    sip.tlsKey = config.tlsKey ?? '';
    sip.tlsCa = config.tlsCa ?? '';
  }
  return sip;
}

/**
 * Creates the default entities on a fresh data directory; on a restart the
 * restored ones are reconfigured, so the flags of this start win over what
 * was persisted. Links are bound; `activateDefaultEntities` opens them.
 */
export async function ensureDefaultEntities(management: Management, config: NodeConfig, httpToken: string, logger: Logger): Promise<void> {
  const resources = management.resources;
  for (const entity of defaultEntities(config, httpToken)) {
    const existing = resources.listEntities().find((e) => e.name === entity.name);
    if (existing) await resources.reconfigureEntity(entity.name, entity.config);
    else await resources.createEntity(entity.name, entity.type, entity.config);
    if (!resources.listLinks().some((l) => l.link === entity.link)) await resources.bindLink(entity.link, entity.name);
    logger.debug({ entity: entity.name, type: entity.type }, 'default resource-adaptor entity ready');
  }
}

/** Activates the default entities, opening their listeners: last at start, once the services they feed are active. */
export async function activateDefaultEntities(management: Management, config: NodeConfig): Promise<void> {
  for (const { name } of defaultEntities(config)) {
    if (management.resources.getEntity(name).state === 'INACTIVE') await management.resources.activateEntity(name);
  }
}
