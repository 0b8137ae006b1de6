import type { Logger } from 'pino';
import type { Slee } from '../container/slee.js';
import type { ProfileStore } from '../../profiles/index.js';
import {
  DigestAuthSbb,
  LocationProxySbb,
  RegistrarSbb,
  configureDigestAuth,
  openTelephonyTables,
  startRegistrationSweeper,
} from '../../sbbs/index.js';
import type { NodeConfig } from './node-config.js';

/**
 * Makes the node a registrar and proxy for its domains: the subscriber and
 * registration tables, and the built-in services digest authentication
 * (priority 100), registrar (20) and location proxy (10). Returns what
 * stops the expired-registration sweeper.
 */
export async function startTelephonyServices(slee: Slee, profiles: ProfileStore, config: NodeConfig, logger: Logger): Promise<() => void> {
  await openTelephonyTables(profiles);
  // Both RFC 8760 algorithms, MD5 first: common clients (SIPp, sipsak, many softphones) answer only the first challenge.
  configureDigestAuth({ trusted: config.trusted, algorithms: ['MD5', 'SHA-256'] });
  for (const root of [DigestAuthSbb, RegistrarSbb, LocationProxySbb]) {
    const id = slee.installService(root);
    slee.activateService(id);
  }
  logger.info({ domains: config.domain, trusted: config.trusted }, 'registrar, location proxy and digest authentication active');
  const sweeper = startRegistrationSweeper(profiles, { onError: (err) => logger.warn({ err }, 'sweeping expired registrations failed') });
  return () => sweeper.stop();
}
