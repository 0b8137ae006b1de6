import { after } from 'node:test';
import assert from 'node:assert/strict';
import { SipStack, type SipStackOptions } from '../../../resource-adaptors/sip/stack/index.js';
import type { TransportProtocol } from '../../../resource-adaptors/sip/transport/index.js';
import type { SippRun } from './sipp-runner.js';

type StartStack = (options?: Omit<SipStackOptions, 'listen'>, transport?: TransportProtocol) => Promise<{ stack: SipStack; port: number }>;

/** For one test file: starts SipStacks on a free loopback port each, all closed once the file's tests are done. */
export function loopbackStacks(): StartStack {
  const stacks: SipStack[] = [];
  after(async () => {
    await Promise.all(stacks.map((s) => s.close()));
  });
  return async (options = {}, transport = 'UDP') => {
    const stack = new SipStack({ ...options, listen: [{ transport, host: '127.0.0.1', port: 0 }] });
    stacks.push(stack);
    const [lp] = await stack.start();
    return { stack, port: lp!.port };
  };
}

/** A SIPp run that completed every call it was given. */
export function assertAllSucceeded(run: SippRun, calls: number, who: string): void {
  assert.equal(run.exitCode, 0, `${who} exit code (errors: ${run.errors})`);
  assert.equal(run.successful, calls, `${who} successful calls`);
  assert.equal(run.failed, 0, `${who} failed calls`);
}
