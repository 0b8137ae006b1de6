import { BENCH_DOMAIN } from './node-under-test.js';
import { systemStep, type SystemStep, type SystemUnderTest } from './system-step.js';

/** The benchmarks' call (uac-call.xml: INVITE, 180, 200, ACK, BYE, 200, no pause) to `callee` at `system`, `rate` a second for `seconds`. */
export function callStep(system: SystemUnderTest, callee: string, rate: number, seconds: number): Promise<SystemStep> {
  return systemStep(system, {
    scenario: 'uac-call.xml',
    rate,
    calls: Math.max(1, Math.round(rate * seconds)),
    service: callee,
    pauseMs: 0,
    keys: { domain: BENCH_DOMAIN },
    timeoutMs: (seconds + 30) * 1000,
  });
}
