import { createRequire } from 'node:module';
import type { Cluster, Redis, RedisOptions } from 'ioredis';

/** ioredis and what it brings are required on first use (Node.js caches them after): a node without Redis does not keep their code in its heap. */
const require = createRequire(import.meta.url);

/**
 * Where a node's Redis is: one `redis://` or `rediss://` URL is a single
 * Redis, several are the seeds of a Redis Cluster (any of its nodes: the
 * client learns the others from them).
 */
export type RedisTarget = string | readonly string[];

function urlsOf(target: RedisTarget): readonly string[] {
  return typeof target === 'string' ? [target] : target;
}

/** Whether the target is a Redis Cluster's seed list. */
export function isRedisCluster(target: RedisTarget): boolean {
  return urlsOf(target).length > 1;
}

/** The URL as it may be shown: its password masked. */
function shown(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

/**
 * What is wrong with a `--redis-url` setting, or undefined. Each entry is a
 * Redis URL; the seeds of a Redis Cluster name no database (a cluster has
 * only database 0) and no options, and share one scheme and one user and
 * password, since the cluster client connects to every node alike.
 */
export function redisTargetProblem(urls: readonly string[]): string | undefined {
  if (urls.length === 0) return 'no Redis URL given';
  const parsed: URL[] = [];
  for (const url of urls) {
    const u = URL.canParse(url) ? new URL(url) : undefined;
    if (!u || (u.protocol !== 'redis:' && u.protocol !== 'rediss:') || u.hostname === '') return `'${shown(url)}' is not a redis:// or rediss:// URL`;
    parsed.push(u);
  }
  if (parsed.length === 1) return undefined;
  const seen = new Set<string>();
  for (const [i, u] of parsed.entries()) {
    if ((u.pathname !== '' && u.pathname !== '/') || u.search !== '' || u.hash !== '') {
      return `a Redis Cluster seed names no database (a cluster has only database 0) and no options: '${shown(urls[i]!)}'`;
    }
    const address = `${u.hostname}:${u.port || '6379'}`;
    if (seen.has(address)) return `names ${address} twice`;
    seen.add(address);
  }
  const first = parsed[0]!;
  if (parsed.some((u) => u.protocol !== first.protocol || u.username !== first.username || u.password !== first.password)) {
    return 'the seeds of a Redis Cluster take one scheme and one user and password';
  }
  return undefined;
}

/** Whether a client is ioredis's cluster client, without loading ioredis to ask `instanceof`. */
export function isClusterClient(redis: Redis | Cluster): redis is Cluster {
  return redis.isCluster;
}

/**
 * A client for the target: ioredis's single-server client for one URL, its
 * cluster client for a seed list (the seeds' user, password and TLS
 * applying to every node). `options` are those of each server connection.
 */
export function connectRedis(target: RedisTarget, options: RedisOptions = {}): Redis | Cluster {
  const { Redis, Cluster } = require('ioredis') as typeof import('ioredis');
  const urls = urlsOf(target);
  if (urls.length === 1) return new Redis(urls[0]!, options);
  const seeds = urls.map((url) => new URL(url));
  const first = seeds[0]!;
  return new Cluster(
    // An IPv6 host comes bracketed in a URL, bare to a socket.
    seeds.map((u) => ({ host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(u.port || 6379) })),
    {
      redisOptions: {
        ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
        ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
        ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
        ...options,
      },
    },
  );
}
