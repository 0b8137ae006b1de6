import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StreamFramer } from '../../resource-adaptors/sip/message/index.js';
import { addressedTo } from '../sip/message/addressed-to.js';
import { startDemoNode } from '../helpers/demo-node.js';

/** The shared conformance set when it sits beside the checkout, else the copy in test/fixtures. */
const SHARED = fileURLToPath(new URL('../../../../shared/conformance/rfc4475/', import.meta.url));
const COPY = fileURLToPath(new URL('../../../test/fixtures/rfc4475/', import.meta.url));

/**
 * What a peer must see for each RFC 4475 message (test/fixtures/rfc4475/README.md):
 * a list of acceptable final statuses, `accepted` (answered, and not as a syntax
 * error: 400/505), `none` (a response, or a request dropped by RFC 3261 §18: no
 * answer at all) or `closed` (a TCP framing error: the connection is closed).
 */
type Verdict = number[] | 'accepted' | 'none' | 'any';
const VERDICTS: Record<string, Verdict> = {
  // §3.1.1 valid: must parse, so never a 400.
  wsinv: 'accepted',
  intmeth: 'accepted',
  esc01: 'accepted',
  escnull: 'accepted',
  esc02: [501],
  lwsdisp: 'accepted',
  longreq: 'accepted',
  dblreq: 'accepted',
  semiuri: 'accepted',
  transports: 'accepted',
  mpart01: 'accepted',
  unreason: 'none',
  noreason: 'none',
  // §3.1.2 invalid.
  badinv01: [400],
  clerr: [400],
  ncl: [400],
  scalar02: [400],
  scalarlg: 'none',
  quotbal: [400],
  ltgtruri: [400],
  lwsruri: [400],
  lwsstart: [400],
  trws: [400],
  escruri: [400],
  baddate: 'any',
  regbadct: [400],
  badaspec: [400],
  baddn: [400],
  badvers: [505],
  mismatch01: [400],
  mismatch02: [501, 400],
  bigcode: 'none',
  // §3.2-3.4 semantic.
  badbranch: 'any',
  insuf: [400],
  unkscm: [416],
  novelsc: [416],
  unksm2: 'any',
  bext01: [420],
  invut: 'any',
  regaut01: 'any',
  multi01: [400],
  mcl01: [400],
  bcast: 'none',
  zeromf: 'any',
  cparam01: 'accepted',
  cparam02: 'accepted',
  regescrt: 'accepted',
  sdp01: 'any',
  inv2543: 'accepted',
};

interface Outcome {
  name: string;
  transport: 'UDP' | 'TCP';
  finals: number[];
  closed: boolean;
}

async function corpus(): Promise<Map<string, Buffer>> {
  const dir = await readdir(SHARED).then(
    () => SHARED,
    () => COPY,
  );
  const files = (await readdir(dir)).filter((f) => f.endsWith('.dat')).sort();
  return new Map(await Promise.all(files.map(async (f) => [f.slice(0, -4), await readFile(join(dir, f))] as const)));
}

/** The transport the top Via names: TCP for TCP and TLS, UDP otherwise. */
function transportOf(data: Buffer): 'UDP' | 'TCP' {
  const via = /^(?:via|v)[ \t]*:[ \t]*SIP[ \t\r\n]*\/[ \t\r\n]*[0-9.]+[ \t\r\n]*\/[ \t\r\n]*([A-Za-z]+)/im.exec(data.toString('latin1'));
  return via !== null && /^(TCP|TLS)$/i.test(via[1]!) ? 'TCP' : 'UDP';
}

/**
 * A response as a peer reads it, from the bytes: status, Call-ID and top-Via
 * branch. Not through the parser: a 400 echoes the broken header it refuses.
 */
interface SeenResponse {
  status: number;
  callId?: string;
  branch?: string;
}

function readResponse(bytes: Buffer): SeenResponse | undefined {
  const text = bytes.toString('latin1');
  const status = /^SIP\/2\.0 ([1-6][0-9][0-9]) /.exec(text);
  if (status === null) return undefined;
  const seen: SeenResponse = { status: Number(status[1]) };
  const callId = /^(?:call-id|i)[ \t]*:[ \t]*(\S+)/im.exec(text)?.[1];
  const branch = /^(?:via|v)[ \t]*:[^\r\n]*?;[ \t]*branch[ \t]*=[ \t]*([^;,\s]+)/im.exec(text)?.[1];
  if (callId !== undefined) seen.callId = callId;
  if (branch !== undefined) seen.branch = branch;
  return seen;
}

/** Identifies a response as this message's: same Call-ID, or same top-Via branch (insuf has no Call-ID). */
function ofMessage(data: Buffer): (response: SeenResponse) => boolean {
  const text = data.toString('latin1');
  const callId = /^(?:call-id|i)[ \t]*:[ \t]*(\S+)/im.exec(text)?.[1];
  const branch = /;[ \t]*branch[ \t]*=[ \t]*([^;,\s]+)/i.exec(text)?.[1];
  return (response) => {
    if (callId !== undefined && response.callId === callId) return true;
    return branch !== undefined && response.branch === branch;
  };
}

function finalsOf(responses: SeenResponse[], mine: (r: SeenResponse) => boolean): number[] {
  return [...new Set(responses.filter((r) => mine(r) && r.status >= 200).map((r) => r.status))];
}

/** Sends one message from a fresh UDP socket and collects what comes back within `waitMs`. */
async function overUdp(name: string, data: Buffer, port: number, waitMs: number): Promise<Outcome> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const responses: SeenResponse[] = [];
  socket.on('message', (bytes) => {
    const seen = readResponse(bytes);
    if (seen !== undefined) responses.push(seen);
  });
  socket.send(addressedTo(data, socket.address().port), port, '127.0.0.1');
  await settle(waitMs, () => finalsOf(responses, ofMessage(data)).length > 0);
  socket.close();
  return { name, transport: 'UDP', finals: finalsOf(responses, ofMessage(data)), closed: false };
}

/** Sends one message on a fresh TCP connection and frames what comes back. */
async function overTcp(name: string, data: Buffer, port: number, waitMs: number): Promise<Outcome> {
  const socket = connect({ host: '127.0.0.1', port });
  const framer = new StreamFramer();
  const responses: SeenResponse[] = [];
  let closed = false;
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  socket.on('data', (chunk) => {
    try {
      for (const item of framer.push(chunk)) {
        const seen = item.kind === 'message' ? readResponse(item.data) : undefined;
        if (seen !== undefined) responses.push(seen);
      }
    } catch {
      // A garbled answer credits nothing.
    }
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(data);
  await settle(waitMs, () => closed || finalsOf(responses, ofMessage(data)).length > 0);
  socket.destroy();
  return { name, transport: 'TCP', finals: finalsOf(responses, ofMessage(data)), closed };
}

/** Waits until `done` holds, or for `ms` (how long a message expecting silence is given to break it). */
async function settle(ms: number, done: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

function check(outcome: Outcome, verdict: Verdict): string | undefined {
  const { name, finals, closed, transport } = outcome;
  const seen = `${transport}: final ${finals.length === 0 ? 'none' : finals.join(',')}${closed ? ', connection closed' : ''}`;
  if (verdict === 'any') return finals.length === 1 ? undefined : `${name} (${seen}) must get exactly one final status`;
  if (verdict === 'none') return finals.length === 0 ? undefined : `${name} (${seen}) must get no answer`;
  if (verdict === 'accepted') {
    return finals.length === 1 && finals[0] !== 400 && finals[0] !== 505 ? undefined : `${name} (${seen}) must be accepted as valid syntax`;
  }
  return finals.length === 1 && verdict.includes(finals[0]!) ? undefined : `${name} (${seen}) must get ${verdict.join(' or ')}`;
}

test('RFC 4475 on the wire: each torture message, sent to a demo node over its top Via transport, gets its verdict', async (t) => {
  const { sipPort } = await startDemoNode(t, 'rfc4475');

  const messages = await corpus();
  assert.deepEqual([...messages.keys()].sort(), Object.keys(VERDICTS).sort(), 'a verdict for every message, and a message for every verdict');
  const outcomes = await Promise.all(
    [...messages].map(([name, data]) => {
      const wait = VERDICTS[name] === 'none' ? 1000 : 5000;
      return transportOf(data) === 'TCP' ? overTcp(name, data, sipPort, wait) : overUdp(name, data, sipPort, wait);
    }),
  );
  const wrong = outcomes.map((o) => check(o, VERDICTS[o.name]!)).filter((w): w is string => w !== undefined);
  assert.deepEqual(
    wrong,
    [],
    `every message gets its verdict:\n${outcomes.map((o) => `${o.name} ${o.transport} ${o.finals.join(',') || '-'}${o.closed ? ' closed' : ''}`).join('\n')}`,
  );

  // Issue 11: a To-tag and a malformed Route used to throw in the stack and go unanswered.
  const brokenRoute = await overUdp(
    'OPTIONS with Route: <<<',
    Buffer.from(
      `OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKroute4475\r\nMax-Forwards: 70\r\nRoute: <<<\r\n` +
        `From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1>;tag=t\r\nCall-ID: route-4475\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`,
    ),
    sipPort,
    5000,
  );
  assert.deepEqual(brokenRoute.finals, [400], 'a malformed Route is answered with a 400');

  const after = await overUdp(
    'OPTIONS after',
    Buffer.from(
      `OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKafter4475\r\nMax-Forwards: 70\r\n` +
        `From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1>\r\nCall-ID: after-4475\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`,
    ),
    sipPort,
    5000,
  );
  assert.deepEqual(after.finals, [200], 'the node still answers OPTIONS');
});
