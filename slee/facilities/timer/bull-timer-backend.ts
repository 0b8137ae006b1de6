import { setTimeout as sleep } from 'node:timers/promises';
import type Queue from 'bull';
import type { Cluster, Redis } from 'ioredis';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import type { TimerBackend } from './timer-backend.js';
import type { TimerRecord } from './timer-record.js';
import { bullExpiryJobId, type BullExpiryJob } from './bull-expiry-job.js';
import { connectRedis, isRedisCluster, type RedisTarget } from '../../cluster/redis-connection.js';

export interface BullTimerBackendOptions {
  /** e.g. `redis://127.0.0.1:6379`, or the seed URLs of a Redis Cluster. */
  redisUrl: RedisTarget;
  /** One queue per SLEE cluster: every SLEE sharing it shares the timers. Default `sleet-timers`. */
  queueName?: string;
  /**
   * Redis key prefix of the queue; bull's default `bull`, and `{bull}` on a
   * Redis Cluster, where it must hold a hash tag: bull's scripts touch
   * several keys of the queue, which a cluster runs only within one slot.
   */
  prefix?: string;
  /** Reports queue and connection errors (the timer manager reports failed operations itself). */
  onError?: (err: unknown) => void;
}

/** Stores a record only while it still exists, so an expiry racing a cancel cannot bring the timer back. */
const UPDATE_IF_LIVE = `if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 1 end return 0`;

/**
 * Durable, cluster-wide timers on bull (Redis). Each timer's record lives in
 * a Redis hash beside the queue, the source of truth; each expiry is a
 * delayed job with id `<timer id>:<due time>`, so bull's job locking lets
 * exactly one SLEE of the cluster process it, and a periodic timer's next
 * expiry is a new job that only the processor of the previous one adds.
 * Times are wall-clock milliseconds: use it with the system clock.
 */
export class BullTimerBackend implements TimerBackend {
  readonly durable = true;
  readonly queueName: string;
  private readonly prefix: string;
  private queue: Queue.Queue<BullExpiryJob> | null = null;
  /** The cluster clients made for bull, which bull leaves to their maker to close. */
  private readonly clusterClients: Array<Redis | Cluster> = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: BullTimerBackendOptions) {
    this.queueName = options.queueName ?? 'sleet-timers';
    const cluster = isRedisCluster(options.redisUrl);
    this.prefix = options.prefix ?? (cluster ? '{bull}' : 'bull');
    if (cluster && !/\{[^}]+\}/.test(this.prefix)) {
      throw new SleetError(ErrorCode.CONFIG_INVALID, `bull timer queue prefix '${this.prefix}' has no hash tag such as {bull}: Redis Cluster needs one`);
    }
  }

  /** The Redis hash holding the records of live timers. */
  get recordsKey(): string {
    return `${this.prefix}:${this.queueName}:sleet-timer-records`;
  }

  async start(onDue: (timerId: string) => void | Promise<void>): Promise<void> {
    // Loaded here, not with the module: Sleet's API exports this class, and a node whose timers are in-process
    // must not keep bull and what it brings (about 1 MB of code) in the heap every full collection marks.
    const { default: Queue } = await import('bull');
    if (this.queue) throw new SleetError(ErrorCode.INVALID_STATE, `bull timer backend on queue '${this.queueName}' is already started`);
    const { redisUrl } = this.options;
    const queue = isRedisCluster(redisUrl)
      ? new Queue<BullExpiryJob>(this.queueName, { prefix: this.prefix, createClient: (type) => this.clusterClient(redisUrl, type) })
      : new Queue<BullExpiryJob>(this.queueName, typeof redisUrl === 'string' ? redisUrl : redisUrl[0]!, { prefix: this.prefix });
    this.queue = queue;
    queue.on('error', (err) => this.options.onError?.(err));
    await queue.isReady();
    queue
      .process(async (job) => {
        // Delayed jobs may be promoted a little early; an expiry must not be judged before its time.
        const early = job.data.time - Date.now();
        if (early > 0) await sleep(early);
        await onDue(job.data.timerId);
      })
      .catch((err: unknown) => this.options.onError?.(err));
  }

  schedule(record: TimerRecord): Promise<void> {
    return this.track(async () => {
      const queue = this.requireQueue();
      await queue.client.hset(this.recordsKey, record.id, JSON.stringify(record));
      await this.addExpiryJob(queue, record);
    });
  }

  reschedule(record: TimerRecord): Promise<void> {
    return this.track(async () => {
      const queue = this.requireQueue();
      const stored = await queue.client.eval(UPDATE_IF_LIVE, 1, this.recordsKey, record.id, JSON.stringify(record));
      if (stored === 1) await this.addExpiryJob(queue, record);
    });
  }

  cancel(timerId: string): Promise<void> {
    return this.track(async () => {
      const queue = this.requireQueue();
      const record = await this.read(queue, timerId);
      await queue.client.hdel(this.recordsKey, timerId);
      if (!record) return;
      const job = await queue.getJob(bullExpiryJobId(record));
      // An active job is being processed (possibly by this very expiry); it finds no record and fires nothing more.
      if (job && !(await job.isActive())) await job.remove();
    });
  }

  get(timerId: string): Promise<TimerRecord | undefined> {
    return this.track(() => this.read(this.requireQueue(), timerId));
  }

  /** Number of live timers in the cluster. */
  size(): Promise<number> {
    return this.track(() => this.requireQueue().client.hlen(this.recordsKey));
  }

  /** Stops taking expiries in this process, once those being processed are done. */
  async pause(): Promise<void> {
    await this.queue?.pause(true);
  }

  /** Waits for pending operations and closes the queue's connections. Timers stay in Redis. */
  async stop(): Promise<void> {
    const queue = this.queue;
    if (!queue) return;
    await Promise.allSettled([...this.inFlight]);
    this.queue = null;
    await queue.close();
    for (const client of this.clusterClients.splice(0)) client.disconnect();
  }

  /** A cluster client for bull: its blocking and subscriber connections must wait for Redis rather than fail commands or check readiness (bull refuses them otherwise). */
  private clusterClient(redisUrl: RedisTarget, type: 'client' | 'subscriber' | 'bclient'): Redis | Cluster {
    const client = connectRedis(redisUrl, type === 'client' ? {} : { maxRetriesPerRequest: null, enableReadyCheck: false });
    this.clusterClients.push(client);
    return client;
  }

  private async addExpiryJob(queue: Queue.Queue<BullExpiryJob>, record: TimerRecord): Promise<void> {
    await queue.add(
      { timerId: record.id, time: record.nextTime },
      { jobId: bullExpiryJobId(record), delay: Math.max(0, record.nextTime - Date.now()), removeOnComplete: true, removeOnFail: true },
    );
  }

  private async read(queue: Queue.Queue<BullExpiryJob>, timerId: string): Promise<TimerRecord | undefined> {
    const raw = await queue.client.hget(this.recordsKey, timerId);
    return raw === null ? undefined : (JSON.parse(raw) as TimerRecord);
  }

  private requireQueue(): Queue.Queue<BullExpiryJob> {
    if (!this.queue) throw new SleetError(ErrorCode.INVALID_STATE, `bull timer backend on queue '${this.queueName}' is not started`);
    return this.queue;
  }

  private track<T>(op: () => Promise<T>): Promise<T> {
    const promise = op();
    this.inFlight.add(promise);
    void promise.then(
      () => this.inFlight.delete(promise),
      () => this.inFlight.delete(promise),
    );
    return promise;
  }
}
