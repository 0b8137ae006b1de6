import { pathToFileURL } from 'node:url';
import { generateBranch, parseMessage, type SipRequest } from '../resource-adaptors/sip/message/index.js';

export interface BenchResult {
  name: string;
  rows: Array<Record<string, string | number>>;
  params: Record<string, unknown>;
}

const SDP = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.101',
  's=-',
  'c=IN IP4 192.0.2.101',
  't=0 0',
  'm=audio 49172 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  '',
].join('\r\n');

/** A typical proxied INVITE: two Vias, Record-Route, Contact, SDP body. */
const INVITE = Buffer.from(
  [
    'INVITE sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP proxy1.atlanta.example.com:5060;branch=z9hG4bK2d4790.1',
    'Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101;rport=5060',
    'Max-Forwards: 69',
    'Record-Route: <sip:proxy1.atlanta.example.com;lr>',
    'From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl',
    'To: Bob <sip:bob@biloxi.example.com>',
    'Call-ID: 3848276298220188511@client.atlanta.example.com',
    'CSeq: 1 INVITE',
    'Contact: <sip:alice@client.atlanta.example.com;transport=udp>',
    'User-Agent: Sleet-bench/1.0',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(SDP)}`,
    '',
    SDP,
  ].join('\r\n'),
);

/** What a proxy reads from every request it routes. */
function touchProxyFields(req: SipRequest): number {
  let n = req.topVia!.branch!.length;
  n += req.from.tag!.length;
  n += req.to.uri.host.length;
  n += req.callId.length;
  n += req.cseq.seq;
  n += req.maxForwards!;
  n += req.uri.host.length;
  return n;
}

type Scenario = (data: Buffer) => number;

const scenarios: Array<[string, Scenario]> = [
  ['parse only', (data) => (parseMessage(data) as SipRequest).method.length],
  ['parse + proxy fields', (data) => touchProxyFields(parseMessage(data) as SipRequest)],
  [
    'parse + fields + serialise unmodified',
    (data) => {
      const req = parseMessage(data) as SipRequest;
      return touchProxyFields(req) + req.toBuffer().length;
    },
  ],
  [
    'parse + fields + forward (Max-Forwards-1, add Via)',
    (data) => {
      const req = parseMessage(data) as SipRequest;
      const n = touchProxyFields(req);
      req.set('Max-Forwards', String(req.maxForwards! - 1));
      req.add('Via', `SIP/2.0/UDP proxy2.biloxi.example.com:5060;branch=${generateBranch()}`, true);
      return n + req.toBuffer().length;
    },
  ],
];

interface Rates {
  wall: number;
  cpu: number;
}

/** Messages per second of wall time and of this process's CPU time (user + system), which other load on a shared machine disturbs less. */
function measure(fn: Scenario, iterations: number): Rates {
  let sink = 0;
  const cpuStart = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += fn(INVITE);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  if (sink === 0) throw new Error('benchmark result unused');
  return { wall: iterations / seconds, cpu: iterations / ((cpu.user + cpu.system) / 1e6) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function run(options: { quick?: boolean }): Promise<BenchResult> {
  const iterations = options.quick ? 20_000 : 100_000;
  const rounds = options.quick ? 3 : 5;
  const rows: BenchResult['rows'] = [];
  for (const [name, fn] of scenarios) {
    measure(fn, 20_000);
    const runs: Rates[] = [];
    for (let r = 0; r < rounds; r++) runs.push(measure(fn, iterations));
    const wall = median(runs.map((x) => x.wall));
    const cpu = median(runs.map((x) => x.cpu));
    rows.push({
      scenario: name,
      'messages/s': Math.round(wall),
      'µs/message': Number((1e6 / wall).toFixed(2)),
      'messages/s (CPU time)': Math.round(cpu),
    });
  }
  return {
    name: 'sip-parser',
    rows,
    params: {
      iterations,
      rounds,
      statistic: 'median of rounds',
      messageBytes: INVITE.length,
      target: '>= 150000 messages/s for parse + fields + serialise (unmodified and forwarded)',
      node: process.version,
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.log(`${result.name} (${JSON.stringify(result.params)})`);
  console.table(result.rows);
}
