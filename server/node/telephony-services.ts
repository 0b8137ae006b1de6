import type { Logger } from 'pino';
import type { Slee } from '../../slee/container/slee.js';
import type { ProfileStore } from '../../profiles/index.js';
import { DigestAuthSbb, LocationProxySbb, RegistrarSbb, configureDigestAuth, openTelephonyTables, startRegistrationSweeper } from '../../sbbs/index.js';
import type { NodeConfig } from './config/node-config.js';

/**
 * Makes the node a registrar and proxy for its domains: the subscriber and
 * registration tables, and the built-in services digest authentication
 * (priority 100), registrar (20) and location proxy (10). Returns what
 * stops the expired-registration sweeper.
 */
export async function startTelephonyServices(
  slee: Slee,
  profiles: ProfileStore,
  config: NodeConfig,
  digestSecret: Buffer,
  logger: Logger,
): Promise<() => void> {
  configureDigestAuth({
    trusted: config.trusted,
    algorithms: config.digestAlgorithms,
    ...(config.realm ? { realm: config.realm } : {}),
    secret: digestSecret,
    clock: slee.kernel.clock,
    nonceTtlMs: config.nonceTtl * 1000,
    maxFailuresPerUser: config.authMaxFailuresUser,
    maxFailuresPerSource: config.authMaxFailuresSource,
    failureWindowMs: config.authFailureWindow * 1000,
    lockoutMs: config.authLockout * 1000,
  });
  // After configuring: migrated passwords are hashed for the realm in effect.
  const migration = await openTelephonyTables(profiles);
  if (migration.hashed.length > 0) logger.warn({ subscribers: migration.hashed }, 'plain subscriber passwords of an older version replaced by their HA1s');
  if (migration.cleared.length > 0)
    logger.warn({ subscribers: migration.cleared }, 'plain subscriber passwords that could not be hashed were cleared: set new passwords');
  for (const root of [DigestAuthSbb, RegistrarSbb, LocationProxySbb]) {
    const id = slee.installService(root);
    slee.activateService(id);
  }
  logger.info({ domains: config.domain, trusted: config.trusted }, 'registrar, location proxy and digest authentication active');
  const sweeper = startRegistrationSweeper(profiles, { onError: (err) => logger.warn({ err }, 'sweeping expired registrations failed') });
  return () => sweeper.stop();
}
