import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from './bench-result.js';
import { loadStep, settle } from './sip-load/load-step.js';
import { BENCH_DOMAIN, benchUsers, NodeUnderTest } from './sip-load/node-under-test.js';
import { sippAvailable } from './sip-load/sipp.js';
import { skippedWithoutSipp } from './sip-load/skipped.js';

const RATES = [1000, 2000, 3000, 4000, 5000, 6000];

/**
 * REGISTER/s of distinct users from a CSV, each a new binding or a refresh
 * of the user's one contact, stepped up until a step fails: once from a
 * trusted source (no challenge), once answering the digest challenge.
 */
export async function run(options: { quick?: boolean } = {}): Promise<BenchResult> {
  if (!sippAvailable()) return skippedWithoutSipp('sip-register');
  const stepSeconds = options.quick ? 5 : 30;
  const users = options.quick ? 5000 : 20_000;
  const rows: Array<Record<string, string | number>> = [];
  const best: Record<string, number> = {};
  for (const auth of ['none (trusted)', 'digest MD5'] as const) {
    const trusted = auth === 'none (trusted)';
    const node = await NodeUnderTest.start({ trusted, users });
    try {
      const injection = join(node.dataDir, 'bench-users.csv');
      writeFileSync(
        injection,
        `SEQUENTIAL\n${benchUsers(users)
          .map((u) => `${u};[authentication username=${u} password=pw-${u}]`)
          .join('\n')}\n`,
      );
      const register = (rate: number, seconds: number) =>
        loadStep(node, {
          scenario: trusted ? 'register.xml' : 'register-auth.xml',
          target: `127.0.0.1:${node.sipPort}`,
          rate,
          calls: rate * seconds,
          injectionFile: injection,
          keys: { domain: BENCH_DOMAIN },
          timeoutMs: (seconds + 30) * 1000,
        });
      await register(500, 4); // warm-up, not reported
      best[auth] = 0;
      for (const rate of RATES) {
        await settle(3000);
        const step = await register(rate, stepSeconds);
        rows.push({
          auth,
          'offered /s': step.offered,
          'REGISTER/s': step.achieved,
          failed: step.failed,
          'node CPU ms/REGISTER': step.cpuMsPer,
          'node CPU %': step.cpuPercent,
          'p50 ms': step.p50Ms,
          'p99 ms': step.p99Ms,
          'loop delay p99 ms': step.loopP99Ms,
          'loop delay max ms': step.loopMaxMs,
          'RSS MiB': step.rssMiB,
        });
        if (step.failed > 0 || step.achieved < rate * 0.9) break;
        best[auth] = rate;
      }
    } finally {
      await node.stop();
    }
  }
  return {
    name: 'sip-register',
    rows,
    params: { stepSeconds, users, rates: RATES, highestRateWithZeroFailed: best, expires: 3600, transport: 'UDP loopback' },
  };
}
