import type { Logger } from 'pino';
import type { ProfileStore } from '../../profiles/index.js';
import { SUBSCRIBERS_TABLE } from '../../sbbs/index.js';
import { hostForVia } from '../../resource-adaptors/sip/transport/ip-address.js';

/** The demo users `sleet start --demo` provisions; their passwords are in the README (stored as HA1s, never logged). */
const DEMO_SUBSCRIBERS = [
  { name: 'alice', password: 'alice-secret', displayName: 'Alice' },
  { name: 'bob', password: 'bob-secret', displayName: 'Bob' },
  { name: 'carol', password: 'carol-secret', displayName: 'Carol' },
] as const;

/** Adds alice, bob and carol in the node's first domain, unless they exist already. */
export async function provisionDemoSubscribers(profiles: ProfileStore, domain: string, logger: Logger): Promise<void> {
  for (const user of DEMO_SUBSCRIBERS) {
    if (!(await profiles.getProfile(SUBSCRIBERS_TABLE, user.name))) {
      await profiles.createProfile(SUBSCRIBERS_TABLE, user.name, {
        address: `sip:${user.name}@${hostForVia(domain)}`,
        username: user.name,
        password: user.password,
        displayName: user.displayName,
      });
    }
  }
  logger.info(
    { domain, users: DEMO_SUBSCRIBERS.map((u) => `sip:${u.name}@${hostForVia(domain)}`) },
    `demo subscribers: ${DEMO_SUBSCRIBERS.map((u) => u.name).join(', ')} in domain ${domain} (passwords: see the README)`,
  );
}
