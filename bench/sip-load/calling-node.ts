import { BENCH_DOMAIN, NodeUnderTest, type NodeUnderTestOptions } from './node-under-test.js';
import { registerCallee } from './register-callee.js';
import { runSipp, SippServer, type SippOutcome } from './sipp.js';

const CALLEE = 'user000001';

/** Runs `count` SIPp `uac-call.xml` calls through the node to its registered callee. */
export type PlaceCalls = (count: number) => Promise<SippOutcome>;

/**
 * A demo node (trusted source, 10 subscribers) with a SIPp callee
 * registered through it: `body` gets the node and a way to place calls at
 * `rate`, and both are stopped afterwards, also when it throws (stopping
 * twice is harmless, so `body` may stop the node itself first).
 */
export async function withCallingNode<T>(
  start: Omit<NodeUnderTestOptions, 'trusted' | 'users'>,
  calls: { rate: number; timeoutMs: number; who: string },
  body: (node: NodeUnderTest, place: PlaceCalls) => Promise<T>,
): Promise<T> {
  const node = await NodeUnderTest.start({ trusted: true, users: 10, ...start });
  let uas: SippServer | undefined;
  try {
    uas = await SippServer.start('uas-call.xml');
    const target = `127.0.0.1:${node.sipPort}`;
    await registerCallee(target, uas, CALLEE, calls.who);
    const place: PlaceCalls = (count) =>
      runSipp({
        scenario: 'uac-call.xml',
        target,
        rate: calls.rate,
        calls: count,
        service: CALLEE,
        timeoutMs: calls.timeoutMs,
        keys: { domain: BENCH_DOMAIN },
      });
    return await body(node, place);
  } finally {
    await uas?.stop();
    await node.stop();
  }
}

/**
 * Measures this build, then the `baseline` build (another checkout's dist/)
 * if one is given, one after the other. A baseline that is no checkout is
 * refused before anything runs.
 */
export async function eachBuild<T>(
  baseline: string | undefined,
  measure: (build: 'this' | 'baseline', distRoot: string | undefined) => Promise<T>,
): Promise<T[]> {
  if (baseline !== undefined) NodeUnderTest.assertCheckout(baseline);
  const measured = [await measure('this', undefined)];
  if (baseline !== undefined) measured.push(await measure('baseline', baseline));
  return measured;
}
