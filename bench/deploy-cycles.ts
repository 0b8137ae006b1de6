import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setImmediate as tick } from 'node:timers/promises';
import { Slee } from '../slee/container/slee.js';
import { defineEventType } from '../slee/component-model/event-type.js';
import { ResourceAdaptorTypeRegistry } from '../slee/resource-adaptor/resource-adaptor-type-registry.js';
import { DeploymentManager } from '../slee/deployment/deployment-manager.js';
import { DirectResourceAdaptor } from '../resource-adaptors/direct/direct-resource-adaptor.js';
import { buildBundle } from '../sdk/build/build-bundle.js';
import { pino } from 'pino';

type Result = { name: string; rows: Array<Record<string, string | number>>; params: Record<string, unknown> };

const projects = fileURLToPath(new URL('../../test/fixtures/bundles/', import.meta.url));
const TickEvent = defineEventType<{ n: number }>('acme.Tick', { vendor: 'acme', version: '1.0', short: 'Tick' });
const v1 = { name: 'CounterService', vendor: 'acme', version: '1.0' };
const v2 = { name: 'CounterService', vendor: 'acme', version: '2.0' };

async function heapAfterGc(gc: () => void): Promise<number> {
  for (let i = 0; i < 4; i++) {
    await tick();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

/**
 * One hot-deployment cycle with events flowing: install v1, activate,
 * install v2, upgrade (an activity stays on v1 meanwhile), drain and
 * uninstall both.
 */
async function cycle(manager: DeploymentManager, slee: Slee, ra: DirectResourceAdaptor, archives: { v1: string; v2: string }, events: number) {
  const u1 = await manager.install(archives.v1);
  slee.activateService(v1);
  const old = ra.startActivity();
  for (let i = 0; i < events; i++) await ra.fire(old, TickEvent, { n: i });
  const u2 = await manager.install(archives.v2);
  slee.deactivateAndActivate(v1, v2);
  const fresh = ra.startActivity();
  for (let i = 0; i < events; i++) {
    await ra.fire(old, TickEvent, { n: i });
    await ra.fire(fresh, TickEvent, { n: i });
  }
  ra.endActivity(old);
  ra.endActivity(fresh);
  await slee.idle();
  slee.deactivateService(v2);
  await slee.idle();
  await manager.uninstall(u1.id);
  await manager.uninstall(u2.id);
}

async function measure(options: { quick?: boolean }, gc: () => void): Promise<Result> {
  const cycles = 20;
  const events = options.quick ? 20 : 200;
  const work = mkdtempSync(join(tmpdir(), 'sleet-bench-deploy-'));
  try {
    const built = {
      events: (await buildBundle(join(projects, 'tick-events'), { outDir: join(work, 'tick') })).archive,
      v1: (await buildBundle(join(projects, 'counter-v1'), { outDir: join(work, 'v1') })).archive,
      v2: (await buildBundle(join(projects, 'counter-v2'), { outDir: join(work, 'v2') })).archive,
    };
    const slee = new Slee({ logger: pino({ level: 'silent' }) });
    const ra = new DirectResourceAdaptor([]);
    await slee.createResourceAdaptorEntity('direct', ra);
    slee.bindLinkName('direct', 'direct');
    await slee.activateResourceAdaptorEntity('direct');
    await slee.start();
    const manager = new DeploymentManager({ slee, raTypes: new ResourceAdaptorTypeRegistry(), dataDir: join(work, 'data'), logger: pino({ level: 'silent' }) });
    await manager.install(built.events);
    await cycle(manager, slee, ra, built, events);
    const before = await heapAfterGc(gc);
    const start = process.hrtime.bigint();
    for (let i = 0; i < cycles; i++) await cycle(manager, slee, ra, built, events);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const after = await heapAfterGc(gc);
    await slee.stop();
    const mb = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(2));
    return {
      name: 'deploy-cycles',
      rows: [
        { measure: 'heap after GC, before cycles', value: mb(before), unit: 'MB' },
        { measure: `heap after GC, after ${cycles} cycles`, value: mb(after), unit: 'MB' },
        { measure: 'heap growth (target <= 20 MB)', value: mb(after - before), unit: 'MB' },
        { measure: 'time per cycle (2 installs, upgrade, 2 uninstalls)', value: Number(((seconds / cycles) * 1000).toFixed(1)), unit: 'ms' },
      ],
      params: { cycles, eventsPerActivityPerPhase: events, node: process.version, loader: 'vm.compileFunction CommonJS, per-bundle cache' },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Heap figures need a forced GC: without --expose-gc this re-runs itself in a child that has it. */
export async function run(options: { quick?: boolean } = {}): Promise<Result> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) return measure(options, gc);
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--json', ...(options.quick ? ['--quick'] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`deploy-cycles child failed with status ${child.status}`);
  return JSON.parse(child.stdout) as Result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run({ quick: process.argv.includes('--quick') });
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(result));
  else {
    console.table(result.rows);
    console.log(result.params);
  }
}
