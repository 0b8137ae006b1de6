import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Redis, Cluster } from 'ioredis';
import { PRIVATE_FILE_MODE } from '../../slee/persistence/make-private.js';
import { MIN_ROUTE_SECRET_BYTES } from '../../resource-adaptors/sip/proxy/route-tokens.js';

/**
 * The cluster's one Record-Route token key: the first node to start makes
 * it, the others take it, and each writes it to its route secret file
 * before its SIP adaptor starts. With one key, any node verifies the
 * Record-Route of any other, so a node relays the in-dialog requests of a
 * peer that died.
 */
export async function shareRouteSecret(redis: Redis | Cluster, cluster: string, file: string): Promise<void> {
  const key = `sleet:${cluster}:route-secret`;
  await redis.set(key, randomBytes(MIN_ROUTE_SECRET_BYTES).toString('base64url'), 'NX');
  const secret = await redis.get(key);
  await writeFile(file, `${secret}\n`, { mode: PRIVATE_FILE_MODE });
}
