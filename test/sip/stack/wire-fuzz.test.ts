import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { FakeClock } from '../../../base/clock/fake-clock.js';
import { buildResponse } from '../../../resource-adaptors/sip/dialog/index.js';
import type { SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { SipStack } from '../../../resource-adaptors/sip/stack/index.js';
import type { ServerTransaction } from '../../../resource-adaptors/sip/transaction/index.js';
import type { TransportLayer } from '../../../resource-adaptors/sip/transport/index.js';
import { fuzzOverTcp, fuzzOverUdp } from './fuzz-senders.js';
import { optionsOverTcp, optionsOverUdp } from './options-probe.js';

const SECONDS_PER_TRANSPORT = 2;
/** Past Timers J, H and L (64·T1), and the proxy's Timer C for anything it forwarded. */
const PAST_EVERY_TIMER = 200_000;

const closers: Array<() => unknown> = [];
after(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/**
 * Handlers of every kind a service might be: answering at once, answering
 * later, declining (the stack answers), and failing on a header it reads.
 * INVITEs are refused, so that no dialog outlives the test.
 */
function handler(request: SipRequest, tx: ServerTransaction): boolean {
  const kind = request.callId.length % 4;
  if (kind === 0) {
    tx.respond(buildResponse(request, request.method === 'INVITE' ? 486 : 200, { toTag: 'f' }));
    return true;
  }
  if (kind === 1) {
    setImmediate(() => {
      if (tx.awaitingFinal) tx.respond(buildResponse(request, 480, { toTag: 'f' }));
    });
    return true;
  }
  if (kind === 2) return false;
  void request.expires;
  throw new SleetError(ErrorCode.SIP_PARSE, 'malformed Refer-To header');
}

async function startStack(): Promise<{ stack: SipStack; clock: FakeClock; udp: number; tcp: number; errors: unknown[] }> {
  const clock = new FakeClock();
  const errors: unknown[] = [];
  const stack = new SipStack({
    listen: [
      { transport: 'UDP', host: '127.0.0.1', port: 0 },
      { transport: 'TCP', host: '127.0.0.1', port: 0 },
    ],
    domains: ['127.0.0.1'],
    clock,
    onRequest: handler,
    onError: (err) => errors.push(err),
  });
  closers.push(() => stack.close());
  const points = await stack.start();
  return { stack, clock, errors, udp: points.find((p) => p.transport === 'UDP')!.port, tcp: points.find((p) => p.transport === 'TCP')!.port };
}

async function quiet(): Promise<void> {
  await new Promise((r) => setTimeout(r, 100));
}

/** After the flood, every timer run out: no transaction left, and the stack still answers. */
async function assertDrainedAndServing(stack: SipStack, clock: FakeClock, udp: number, tcp: number, errors: unknown[]): Promise<void> {
  await quiet();
  clock.advance(PAST_EVERY_TIMER);
  await quiet();
  clock.advance(PAST_EVERY_TIMER);
  const { serverTransactions, clientTransactions } = stack.transactions.stats;
  assert.deepEqual({ serverTransactions, clientTransactions }, { serverTransactions: 0, clientTransactions: 0 }, 'no transaction is left open');
  assert.equal(await optionsOverUdp(udp, 'afterfuzzudp'), 200);
  assert.equal(await optionsOverTcp(tcp, 'afterfuzztcp'), 200);
  assert.deepEqual(
    errors.filter((e) => !SleetError.is(e, ErrorCode.SIP_TRANSPORT)),
    [],
    'nothing but send failures reached onError',
  );
}

describe('wire fuzz: mutated RFC 4475 messages, bounded in time', () => {
  it(`UDP for ${SECONDS_PER_TRANSPORT} s`, async () => {
    const { stack, clock, udp, tcp, errors } = await startStack();
    const sent = await fuzzOverUdp(udp, { seconds: SECONDS_PER_TRANSPORT, atLeast: 500, atMost: 20_000, seed: 18 });
    await assertDrainedAndServing(stack, clock, udp, tcp, errors);
    const parsed = (stack.transport as TransportLayer).counters.messagesIn;
    assert.ok(parsed > sent / 20, `some of them parsed and went up the stack: ${sent} sent, ${parsed} in`);
  });

  it(`TCP for ${SECONDS_PER_TRANSPORT} s`, async () => {
    const { stack, clock, udp, tcp, errors } = await startStack();
    const sent = await fuzzOverTcp(tcp, { seconds: SECONDS_PER_TRANSPORT, atLeast: 100, atMost: 400, seed: 793 });
    await assertDrainedAndServing(stack, clock, udp, tcp, errors);
    const parsed = (stack.transport as TransportLayer).counters.messagesIn;
    assert.ok(parsed > sent / 20, `some of them parsed and went up the stack: ${sent} sent, ${parsed} in`);
  });
});
