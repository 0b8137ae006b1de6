import type { Redis, Cluster } from 'ioredis';
import type { Logger } from 'pino';
import type { ProfileStore } from '../../profiles/storage/profile-store.js';

interface ChangeNotice {
  node: string;
  table: string;
  name?: string;
}

/**
 * Profile caches across the nodes of a cluster (and the workers of one):
 * each profile change a node commits to the shared store is published on
 * `sleet:<cluster>:profiles`, and every other node drops what its cache
 * holds of it. Without this, a REGISTER taken by one node leaves another's
 * cached location lookup answering the old bindings. Returns what stops it.
 */
export async function shareProfileChanges(options: {
  redis: Redis | Cluster;
  cluster: string;
  nodeId: string;
  store: Pick<ProfileStore, 'onChange' | 'onTableChange'>;
  forget: (table: string, profileName?: string) => void;
  logger: Logger;
}): Promise<() => void> {
  const { redis, nodeId, logger } = options;
  const channel = `sleet:${options.cluster}:profiles`;
  const subscriber = redis.duplicate();
  subscriber.on('error', (err: unknown) => logger.warn({ err }, 'the profile change subscriber failed'));
  subscriber.on('message', (_channel: string, text: string) => {
    let notice: ChangeNotice;
    try {
      notice = JSON.parse(text) as ChangeNotice;
    } catch {
      return;
    }
    if (notice.node !== nodeId && typeof notice.table === 'string') options.forget(notice.table, notice.name);
  });
  await subscriber.subscribe(channel);
  const publish = (notice: Omit<ChangeNotice, 'node'>) => {
    redis.publish(channel, JSON.stringify({ node: nodeId, ...notice })).catch((err: unknown) => logger.warn({ err }, 'publishing a profile change failed'));
  };
  const stops = [
    options.store.onChange((change) => publish({ table: change.table, name: change.profileName })),
    options.store.onTableChange((change) => {
      publish({ table: change.table });
      if (change.kind === 'tableRenamed') publish({ table: change.newName });
    }),
  ];
  return () => {
    for (const stop of stops) stop();
    subscriber.disconnect();
  };
}
