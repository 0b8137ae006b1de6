import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DOMAIN, benchUsers, type NodeUnderTest } from './node-under-test.js';
import { startSipp, type SippOutcome } from './sipp.js';

/** Subscribers a node is given for the churn: the callee and the users who register around its calls. */
export const CHURN_USERS = 2000;

/**
 * Other users registering while calls run, as a live registrar always has:
 * SIPp's `register.xml` at `rate` REGISTER/s for `seconds`, users 2 to
 * CHURN_USERS in turn (user 1 is the callee), each a new binding or the
 * refresh of its one contact. Resolves with SIPp's outcome when the run ends.
 */
export async function registerChurn(node: NodeUnderTest, rate: number, seconds: number): Promise<SippOutcome> {
  const injection = join(node.dataDir, 'churn-users.csv');
  writeFileSync(injection, `SEQUENTIAL\n${benchUsers(CHURN_USERS).slice(1).join('\n')}\n`);
  const run = await startSipp({
    scenario: 'register.xml',
    target: `127.0.0.1:${node.sipPort}`,
    rate,
    calls: Math.max(1, Math.round(rate * seconds)),
    injectionFile: injection,
    keys: { domain: BENCH_DOMAIN },
    timeoutMs: (seconds + 30) * 1000,
  });
  return run.finished;
}

/** Profile lookups the node's SBBs could not answer from the cache so far (its metrics). */
export async function profileStoreReads(node: NodeUnderTest): Promise<number> {
  const text = await (await fetch(`${node.managementUrl()}/metrics`)).text();
  return Number(/^sleet_profile_cache_misses_total (\d+)$/m.exec(text)?.[1] ?? NaN);
}
