import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SleetNode } from '../server/node/sleet-node.js';
import { resolveNodeConfig } from '../server/node/config/node-config.js';
import { freeSipPort } from '../resource-adaptors/sip/ra/free-sip-port.js';
import { FakeClock } from '../base/clock/fake-clock.js';

/**
 * A whole demo node's work per call, in one process and without SIPp, for
 * counting under `valgrind --tool=callgrind` as `proxy-forward-count` is
 * (docs/performance.md): the node as `sleet start --demo --trusted
 * 127.0.0.0/8 --overload off` runs it, a caller and bob's phone as two UDP
 * sockets here. Per iteration, one call at a time: INVITE to bob through the
 * node, 200, ACK and BYE along the Record-Route set, 200 to the BYE. Run
 * `node --predictable --predictable-gc-schedule --random-seed=1
 * dist/bench/demo-call-count.js <calls>` for two counts (the second flag
 * fixes V8's heap growth, which otherwise follows measured speeds); the
 * difference of the counts over the difference of calls is one call's cost.
 *
 * The node runs on a clock this harness drives (the SLEE's, the SIP stack's
 * and the call-record writer's): it moves `1000 / --rate` ms (default 500
 * calls/s) after each call, so what lives, what expires and how call
 * records are batched depend on the number of calls and not on how fast
 * valgrind lets them run. With `--settle` the clock then moves through the
 * transactions' 32 s wait state, so that every call's end (its
 * transactions' and activities' timers, the SBB entities' removal) is in
 * both counts, and it exits 1 if a SIP transaction (read from the node's
 * metrics), a SIP activity or an SBB entity is left, or a call record is
 * not written. It prints the datagrams the two phones received, the same
 * for two builds that send the same messages (their bytes vary a little
 * with the ports each run gets).
 */
const calls = Number(process.argv[2] ?? 200);
/** Wait out every transaction's wait state (64·T1) after the last call, so that each call's whole life is counted. */
const settle = process.argv.includes('--settle');
const rate = Number(process.argv.find((arg) => arg.startsWith('--rate='))?.slice('--rate='.length) ?? 500);
const WAIT_STATE_MS = 64 * 500;
/** Read once: `process.env` is a lookup in C++ on every read, about 1,000 instructions, which a read per datagram added to every call. */
const DEBUG = Boolean(process.env.COUNT_DEBUG);
const HOST = '127.0.0.1';

interface Phone {
  socket: Socket;
  port: number;
  /** Resolves with the next datagram that starts with `prefix`. */
  next(prefix: string): Promise<string>;
}

// The phones read messages with indexOf and startsWith only: a regular expression or a split per message would
// cost more than some of the node's own steps, and be counted with them.
async function phone(): Promise<Phone> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  let waiting: { prefix: string; resolve: (text: string) => void } | null = null;
  socket.on('message', (data) => {
    received++;
    const text = data.toString('latin1');
    if (DEBUG) console.error(`<< ${socket.address().port}\n${text}`);
    if (waiting !== null && text.startsWith(waiting.prefix)) {
      const { resolve } = waiting;
      waiting = null;
      resolve(text);
    }
  });
  return {
    socket,
    port: socket.address().port,
    next: (prefix) => new Promise((resolve) => (waiting = { prefix, resolve })),
  };
}

function send(from: Phone, port: number, lines: string[]): void {
  from.socket.send(`${lines.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`, port, HOST);
}

/** The header lines named `name` (as the node spells it), in order. */
function headers(text: string, name: string): string[] {
  const found: string[] = [];
  const start = `\r\n${name}: `;
  for (let at = text.indexOf(start); at !== -1; at = text.indexOf(start, at + 2)) found.push(text.slice(at + 2, text.indexOf('\r\n', at + 2)));
  return found;
}

let received = 0;

/** Live SIP transactions, read as an operator would: from the node's metrics. */
async function metrics(): Promise<{ transactions: number; cdrs: number }> {
  const response = await fetch(`${node.managementUrl}/metrics`);
  const text = await response.text();
  let transactions = 0;
  for (const [, value] of text.matchAll(/^sleet_sip_transactions_active\{side="\w+"\} (\d+)$/gm)) transactions += Number(value);
  return { transactions, cdrs: Number(/^sleet_cdrs_written_total (\d+)$/m.exec(text)?.[1] ?? -1) };
}

function sipActivities(): number {
  return node.slee.listResourceAdaptorEntities().find((e) => e.name === 'sip')!.activities;
}
const dataDir = mkdtempSync(join(tmpdir(), 'sleet-count-'));
const sipPort = await freeSipPort(HOST);
const config = resolveNodeConfig({
  // Calls back to back keep the event loop busy, which admission control would read as overload.
  flags: { demo: true, trusted: ['127.0.0.0/8'], overload: false, dataDir, sipPort, httpPort: 0, managementPort: 0 },
  env: {},
});
// A fixed start keeps the node's epoch times (call records, timers) the same text in every run.
const clock = new FakeClock(Date.UTC(2026, 0, 1));
const node = await SleetNode.start({ config, logger: pino({ level: 'silent' }), clock });
/**
 * What the calls left once the node has finished what the clock's last step
 * started (deliveries, call-record INSERTs): waits in turns of 10 ms, the
 * clock moving 100 ms a turn, for at most 5 s. The metrics are read only
 * once nothing is left in the process, so that their cost is the same in
 * every run.
 */
async function leftover(activitiesBefore: number): Promise<Record<string, number>> {
  let left: Record<string, number> = {};
  for (let turn = 0; turn < 500; turn++) {
    left = { activities: sipActivities() - activitiesBefore, entities: node.slee.kernel.entities.size };
    if (left.activities! + left.entities! === 0) {
      const { transactions, cdrs } = await metrics();
      left = { ...left, transactions, unwritten: calls - cdrs };
      if (transactions === 0 && cdrs === calls) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    clock.advance(100);
  }
  return left;
}

const caller = await phone();
const bob = await phone();

// bob's phone answers every request it gets: 200 to INVITE (with a To tag) and BYE; ACK needs no answer.
bob.socket.on('message', (data) => {
  const text = data.toString('latin1');
  const method = text.slice(0, text.indexOf(' '));
  if (method === 'ACK' || method === 'SIP/2.0') return;
  const via = headers(text, 'Via');
  const top = via[0]!;
  send(bob, Number(top.slice(top.lastIndexOf(':') + 1, top.indexOf(';'))), [
    'SIP/2.0 200 OK',
    ...via,
    ...headers(text, 'Record-Route'),
    headers(text, 'From')[0]!,
    method === 'INVITE' ? `${headers(text, 'To')[0]!};tag=bob` : headers(text, 'To')[0]!,
    headers(text, 'Call-ID')[0]!,
    headers(text, 'CSeq')[0]!,
    `Contact: <sip:bob@${HOST}:${bob.port}>`,
  ]);
});

const register = bob.next('SIP/2.0 200');
send(bob, sipPort, [
  `REGISTER sip:${HOST} SIP/2.0`,
  `Via: SIP/2.0/UDP ${HOST}:${bob.port};branch=z9hG4bK-register`,
  'Max-Forwards: 70',
  `From: <sip:bob@${HOST}>;tag=reg`,
  `To: <sip:bob@${HOST}>`,
  'Call-ID: register@bob',
  'CSeq: 1 REGISTER',
  `Contact: <sip:bob@${HOST}:${bob.port}>`,
  'Expires: 3600',
]);
await register;

const activitiesBefore = sipActivities();
for (let i = 0; i < calls; i++) {
  const callId = `Call-ID: ${i}-count@${HOST}`;
  const from = `From: <sip:caller${i}@${HOST}>;tag=${i}`;
  const via = (n: number) => `Via: SIP/2.0/UDP ${HOST}:${caller.port};branch=z9hG4bK-${i}-${n}`;
  // One call at a time: the next 200 the caller gets is its INVITE's, then its BYE's.
  const answered = caller.next('SIP/2.0 200');
  send(caller, sipPort, [
    `INVITE sip:bob@${HOST} SIP/2.0`,
    via(1),
    'Max-Forwards: 70',
    from,
    `To: <sip:bob@${HOST}>`,
    callId,
    'CSeq: 1 INVITE',
    `Contact: <sip:caller@${HOST}:${caller.port}>`,
  ]);
  const ok = await answered;
  const to = headers(ok, 'To')[0]!;
  const routes = headers(ok, 'Record-Route').map((line) => `Route${line.slice('Record-Route'.length)}`);
  const inDialog = (method: string, n: number) => [
    `${method} sip:bob@${HOST}:${bob.port} SIP/2.0`,
    via(n),
    ...routes,
    'Max-Forwards: 70',
    from,
    to,
    callId,
    `CSeq: ${method === 'BYE' ? 2 : 1} ${method}`,
  ];
  const acked = bob.next('ACK ');
  send(caller, sipPort, inDialog('ACK', 2));
  await acked;
  const ended = caller.next('SIP/2.0 200');
  send(caller, sipPort, inDialog('BYE', 3));
  await ended;
  clock.advance(1000 / rate);
}

if (settle) {
  clock.advance(WAIT_STATE_MS + 2_000);
  const left = await leftover(activitiesBefore);
  // Printed, not thrown: the node's crash guard would take a throw and keep the process running.
  if (Object.values(left).some((n) => n !== 0)) {
    console.error(`left after the wait state: ${JSON.stringify(left)}`);
    process.exitCode = 1;
  }
}
// The call-record writer's last flush is on the driven clock: stopping waits for it.
clock.advance(1_000);
console.log(`calls ${calls}, datagrams received by the phones ${received}`);
caller.socket.close();
bob.socket.close();
await node.stop();
rmSync(dataDir, { recursive: true, force: true });
