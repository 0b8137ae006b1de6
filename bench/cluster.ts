import { randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { BenchResult } from './bench-result.js';
import { storeRun, type StoreFigures } from './cluster-store.js';
import { freeSipPort } from '../resource-adaptors/sip/ra/free-sip-port.js';
import { startDispatcher } from './sip-load/dispatcher-under-test.js';
import { KAMAILIO_MISSING, kamailioAvailable, type KamailioProcess } from './sip-load/kamailio-process.js';
import { settle } from './sip-load/load-step.js';
import { BENCH_DOMAIN, NodeUnderTest } from './sip-load/node-under-test.js';
import { SippServer, sippAvailable } from './sip-load/sipp.js';
import { skippedWithoutSipp } from './sip-load/skipped.js';
import { skipped } from './skipped.js';
import { stepUp } from './sip-load/step-up.js';
import type { SystemStep, SystemUnderTest } from './sip-load/system-step.js';
import { callStep } from './sip-load/call-step.js';
import { registerCallee } from './sip-load/register-callee.js';
import { BENCH_REDIS_URL } from './sip-load/workers-args.js';

const CALLEE = 'user000001';
const MARIADB_URL = process.env.SLEET_BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';

interface Configuration {
  name: string;
  /** Starts the system; returns it and what stops it. */
  start(): Promise<{ system: Omit<SystemUnderTest, 'uas'>; stop: () => Promise<void> }>;
}

/**
 * `npm run bench cluster`: what clustering costs and buys. SIP calls
 * (INVITE, 180, 200, ACK, BYE, 200 through the location proxy) stepped up
 * to the zero-failure ceiling, for one node direct, one node behind
 * Kamailio's dispatcher, and two nodes behind it (a cluster on Redis and
 * MariaDB); CPU per call summed over every process of the system,
 * Kamailio included; p99 INVITE→200. Then the state store alone: calls
 * through one SLEE with the in-memory store and with the Redis store, and
 * the Redis commands and bytes per call. The failover figures are test 1's
 * (`test/cluster/failover.test.ts`), which prints them.
 */
export async function run(options: { quick?: boolean; flags?: Record<string, string> } = {}): Promise<BenchResult> {
  if (!sippAvailable()) return skippedWithoutSipp('cluster');
  if (!kamailioAvailable()) return skipped('cluster', KAMAILIO_MISSING);
  const quick = options.quick ?? false;
  const seconds = Number(options.flags?.seconds ?? (quick ? 3 : 10));
  const rates = (options.flags?.rates ?? (quick ? '50,100' : '100,200,300,400,500,600,800')).split(',').map(Number);
  const settleMs = quick ? 500 : 3000;
  const database = await scratchDatabase();
  const rows: Array<Record<string, string | number>> = [];
  const ceilings: Record<string, { ceiling: number; steps: SystemStep[] }> = {};
  try {
    for (const configuration of configurations(database.url)) {
      const { system, stop } = await configuration.start();
      const uas = await SippServer.start('uas-call.xml');
      try {
        const full: SystemUnderTest = { ...system, uas };
        await registerCallee(full.target, full.uas, CALLEE, full.name);
        const step = (rate: number, s: number) => callStep(full, CALLEE, rate, s);
        await step(50, quick ? 1 : 5);
        const up = await stepUp(rates, seconds, settleMs, step);
        ceilings[configuration.name] = up;
        const best = up.steps.filter((s) => s.failed === 0).at(-1) ?? up.steps[0]!;
        rows.push({
          configuration: configuration.name,
          'zero-failure calls/s': up.ceiling,
          'CPU ms/call (all processes)': best.proxyMsPerCall,
          'p99 INVITE→200 ms': best.p99Ms,
          'at rate': best.offered,
        });
      } finally {
        await uas.stop();
        await stop();
      }
      await settle(settleMs);
    }
    const storeCalls = quick ? 200 : 2000;
    const store: StoreFigures[] = [];
    for (const kind of ['in-memory', 'redis'] as const) store.push(await storeRun(kind, BENCH_REDIS_URL, storeCalls, 4, 20));
    for (const s of store) {
      rows.push({
        configuration: `store: ${s.store} (4 events per call, 20 at once)`,
        'zero-failure calls/s': s.callsPerSecond,
        'Redis commands/call': s.redisCommandsPerCall,
        'Redis bytes/call': s.redisBytesPerCall,
      });
    }
    return {
      name: 'cluster',
      rows,
      params: {
        seconds,
        rates,
        settleMs,
        transport: 'UDP loopback',
        callee: `${CALLEE}@${BENCH_DOMAIN}`,
        dispatcher: 'deploy/kamailio/kamailio.cfg, 2 UDP children',
        redis: BENCH_REDIS_URL,
        failover:
          'see test/cluster/failover.test.ts: its diagnostic line gives the calls established on the killed node, those ended through the survivor, and the detection window',
        note: 'two nodes on a 2-core machine share the cores with Kamailio, Redis, MariaDB and SIPp: compare their ceiling with one node behind Kamailio; CPU per call shows what the dispatcher and the cluster add',
        ceilings,
        store,
      },
    };
  } finally {
    await database.drop();
  }
}

function configurations(profilesUrl: string): Configuration[] {
  const node = (args: string[], users: boolean) => NodeUnderTest.start({ trusted: true, ...(users ? { users: 10 } : {}), extraArgs: args });
  const cluster = `bench-${randomUUID().slice(0, 8)}`;
  const clusterArgs = (id: string) => ['--cluster', cluster, '--node-id', id, '--redis-url', BENCH_REDIS_URL, '--profiles-url', profilesUrl];
  return [
    {
      name: 'one node direct',
      start: async () => {
        const n = await node([], true);
        return { system: { name: 'sleet', pid: n.pid, target: `127.0.0.1:${n.sipPort}` }, stop: () => n.stop() };
      },
    },
    {
      name: 'one node behind Kamailio',
      start: async () => {
        const n = await node([], true);
        const k = await dispatcher([n.sipPort]);
        return {
          system: { name: 'kamailio+sleet', pid: k.pid, otherPids: [n.pid], target: `127.0.0.1:${k.sipPort}` },
          stop: async () => (await k.stop(), await n.stop()),
        };
      },
    },
    {
      name: 'two nodes behind Kamailio (cluster)',
      start: async () => {
        const a = await node(clusterArgs('bench-a'), true);
        const b = await node(clusterArgs('bench-b'), false);
        const k = await dispatcher([a.sipPort, b.sipPort]);
        return {
          system: { name: 'kamailio+2 sleet', pid: k.pid, otherPids: [a.pid, b.pid], target: `127.0.0.1:${k.sipPort}` },
          stop: async () => (await k.stop(), await a.stop(), await b.stop()),
        };
      },
    },
  ];
}

/** Kamailio's dispatcher in front of the nodes, with 2 UDP children. */
async function dispatcher(nodePorts: number[]): Promise<KamailioProcess> {
  return startDispatcher(nodePorts, await freeSipPort('127.0.0.1'), ['CHILDREN=2']);
}

/** A database of its own for the cluster's profiles, dropped after the run. */
async function scratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sleet_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = await mysql.createConnection(MARIADB_URL);
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  const url = new URL(MARIADB_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const conn = await mysql.createConnection(MARIADB_URL);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}
