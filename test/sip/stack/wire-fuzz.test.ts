import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { ErrorCode } from '../../../slee/errors/error-codes.js';
import { SleetError } from '../../../slee/errors/sleet-error.js';
import { FakeClock } from '../../../resource-adaptors/sip/clock/fake-clock.js';
import { buildResponse } from '../../../resource-adaptors/sip/dialog/index.js';
import type { SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { SipStack } from '../../../resource-adaptors/sip/stack/index.js';
import type { ServerTransaction } from '../../../resource-adaptors/sip/transaction/index.js';
import type { TransportLayer } from '../../../resource-adaptors/sip/transport/index.js';
import { addressedTo } from '../message/addressed-to.js';
import { mutate, prng } from '../message/mutate.js';
import { INVALID, PARSES, torture, VALID } from '../message/torture-fixtures.js';

const SECONDS_PER_TRANSPORT = 2;
/** Sent whatever the time it takes on a loaded machine, so that the assertions below always have material. */
const AT_LEAST = { UDP: 500, TCP: 100 };
const AT_MOST = { UDP: 20_000, TCP: 400 };
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
    listen: [{ transport: 'UDP', host: '127.0.0.1', port: 0 }, { transport: 'TCP', host: '127.0.0.1', port: 0 }],
    domains: ['127.0.0.1'],
    clock,
    onRequest: handler,
    onError: (err) => errors.push(err),
  });
  closers.push(() => stack.close());
  const points = await stack.start();
  return { stack, clock, errors, udp: points.find((p) => p.transport === 'UDP')!.port, tcp: points.find((p) => p.transport === 'TCP')!.port };
}

function corpus(port: number): Buffer[] {
  return [...VALID, ...PARSES, ...INVALID].map((name) => addressedTo(torture(name), port));
}

async function quiet(): Promise<void> {
  await new Promise((r) => setTimeout(r, 100));
}

/** An OPTIONS over UDP; resolves with the final status. */
async function optionsOverUdp(port: number, branch: string): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer to OPTIONS over UDP')), 5000);
      socket.on('message', (m) => {
        clearTimeout(timer);
        resolve(Number(m.toString('latin1').slice(8, 11)));
      });
      socket.send(optionsText(socket.address().port, branch, 'UDP'), port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

async function optionsOverTcp(port: number, branch: string): Promise<number> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  try {
    await new Promise<void>((r) => socket.once('connect', () => r()));
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer to OPTIONS over TCP')), 5000);
      socket.once('data', (m) => {
        clearTimeout(timer);
        resolve(Number(m.toString('latin1').slice(8, 11)));
      });
      socket.write(optionsText(socket.localPort!, branch, 'TCP'));
    });
  } finally {
    socket.destroy();
  }
}

function optionsText(port: number, branch: string, transport: string): string {
  return (
    `OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/${transport} 127.0.0.1:${port};branch=z9hG4bK${branch}\r\nMax-Forwards: 70\r\n` +
    `From: <sip:fuzz@127.0.0.1>;tag=f\r\nTo: <sip:127.0.0.1>\r\nCall-ID: ${branch}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`
  );
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
  assert.deepEqual(errors.filter((e) => !SleetError.is(e, ErrorCode.SIP_TRANSPORT)), [], 'nothing but send failures reached onError');
}

describe('wire fuzz: mutated RFC 4475 messages, bounded in time', () => {
  it(`UDP for ${SECONDS_PER_TRANSPORT} s`, async () => {
    const { stack, clock, udp, tcp, errors } = await startStack();
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    closers.push(() => socket.close());
    socket.on('message', () => undefined);
    const messages = corpus(socket.address().port);
    const random = prng(18);
    const deadline = Date.now() + SECONDS_PER_TRANSPORT * 1000;
    let sent = 0;
    while (sent < AT_LEAST.UDP || (Date.now() < deadline && sent < AT_MOST.UDP)) {
      socket.send(mutate(messages[sent % messages.length]!, random), udp, '127.0.0.1');
      sent++;
      if (sent % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    await assertDrainedAndServing(stack, clock, udp, tcp, errors);
    assert.ok(sent > 100, `${sent} datagrams sent`);
    assert.ok((stack.transport as TransportLayer).counters.messagesIn > sent / 20, `some of them parsed and went up the stack: ${sent} sent, ${(stack.transport as TransportLayer).counters.messagesIn} in`);
  });

  it(`TCP for ${SECONDS_PER_TRANSPORT} s`, async () => {
    const { stack, clock, udp, tcp, errors } = await startStack();
    const messages = corpus(9);
    const random = prng(793);
    const deadline = Date.now() + SECONDS_PER_TRANSPORT * 1000;
    const sockets: Socket[] = [];
    closers.push(() => sockets.forEach((s) => s.destroy()));
    let sent = 0;
    while (sent < AT_LEAST.TCP || (Date.now() < deadline && sent < AT_MOST.TCP)) {
      // One message per connection: a broken Content-Length would otherwise swallow the messages after it.
      const socket = connect({ host: '127.0.0.1', port: tcp });
      socket.on('error', () => undefined);
      socket.on('data', () => undefined);
      sockets.push(socket);
      await new Promise<void>((r) => {
        socket.once('connect', () => r());
        socket.once('close', () => r());
      });
      if (!socket.destroyed) socket.write(mutate(messages[sent % messages.length]!, random));
      sent++;
    }
    await quiet();
    for (const socket of sockets) socket.destroy();
    await assertDrainedAndServing(stack, clock, udp, tcp, errors);
    assert.ok(sent > 100, `${sent} messages sent`);
    assert.ok((stack.transport as TransportLayer).counters.messagesIn > sent / 20, `some of them parsed and went up the stack: ${sent} sent, ${(stack.transport as TransportLayer).counters.messagesIn} in`);
  });
});
