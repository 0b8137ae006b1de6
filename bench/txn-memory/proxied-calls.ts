import 'reflect-metadata';
import { pino } from 'pino';
import { Slee } from '../../slee/container/slee.js';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { SipResourceAdaptor } from '../../resource-adaptors/sip/ra/sip-resource-adaptor.js';
import type { SipRequestEvent } from '../../resource-adaptors/sip/ra/sip-events.js';
import type { SipRequest, SipResponse } from '../../resource-adaptors/sip/message/index.js';
import { perItem, readHeap } from './heap-probe.js';
import { UdpPeer } from './udp-peer.js';
import { answerText, inviteText, parseDatagram, registerText, type Peer } from './wire-messages.js';

const DOMAIN = 'bench.test';
/** Outstanding requests at a time: enough to keep the SLEE busy, few enough for loopback buffers. */
const WINDOW = 100;
const RETRANSMIT_MS = 500;
/** RFC 3261 64·T1: the first transactions end after this, so the run must be measured before. */
const WAIT_STATE_MS = 32_000;

let calleeUri = '';

/** INVITEs are proxied to the callee (record-routed, as the demo's location proxy does); REGISTERs are answered 200 at once. */
@Service({ name: 'BenchTransactionProxy' })
@Sbb()
class BenchProxySbb {
  @InitialEvent()
  onInvite(event: SipRequestEvent): void {
    event.transaction!.proxyTo([calleeUri]);
  }

  @InitialEvent()
  onRegister(event: SipRequestEvent): void {
    event.transaction!.respond(200);
  }
}

export type RaCase = 'INVITE' | 'REGISTER';

interface RunningSlee {
  slee: Slee;
  ra: SipResourceAdaptor;
  proxy: Peer;
}

async function startSlee(): Promise<RunningSlee> {
  const slee = new Slee({ logger: pino({ level: 'silent' }) });
  const ra = new SipResourceAdaptor();
  await slee.createResourceAdaptorEntity('sip', ra, { host: '127.0.0.1', port: 0, transports: 'udp', domains: DOMAIN });
  slee.bindLinkName('sip', 'sip');
  await slee.activateResourceAdaptorEntity('sip');
  await slee.start();
  slee.activateService(slee.installService(BenchProxySbb));
  const lp = ra.listenPoints[0]!;
  return { slee, ra, proxy: { host: lp.address, port: lp.port } };
}

/**
 * Sends `count` requests (numbered from `first`) through the SLEE, `WINDOW`
 * at a time, retransmitting unanswered ones; an INVITE is done once its 200
 * is ACKed, a REGISTER once its 200 arrived.
 */
async function drive(kind: RaCase, count: number, first: number, proxy: Peer): Promise<void> {
  const pending = new Map<number, string>();
  let next = first;
  let done = 0;
  let resolveDone!: () => void;
  const finished = new Promise<void>((resolve) => (resolveDone = resolve));
  const uas = await UdpPeer.open((data, from) => {
    const request = parseDatagram<SipRequest>(data.toString('latin1'));
    if (!request.isRequest || request.method !== 'INVITE') return;
    uas.send(answerText(request, 180, `uas${request.cseq.seq}`, uas.address), { host: from.address, port: from.port });
    uas.send(answerText(request, 200, `uas${request.cseq.seq}`, uas.address), { host: from.address, port: from.port });
  });
  calleeUri = `sip:service@${uas.address.host}:${uas.address.port}`;
  const sendNext = (): void => {
    if (next >= first + count) return;
    const n = next++;
    const text = kind === 'INVITE' ? inviteText(n, uac.address, `sip:service@${DOMAIN}`) : registerText(n, uac.address, DOMAIN);
    pending.set(n, text);
    uac.send(text, proxy);
  };
  const uac = await UdpPeer.open((data) => {
    const response = parseDatagram<SipResponse>(data.toString('latin1'));
    if (response.isRequest || response.status < 200) return;
    const n = Number(response.callId.split('-')[0]);
    if (!pending.delete(n)) return;
    if (kind === 'INVITE') uac.send(ackText(n, response, uac.address), proxy);
    if (++done === count) resolveDone();
    else sendNext();
  });
  const retransmit = setInterval(() => {
    for (const text of pending.values()) uac.send(text, proxy);
  }, RETRANSMIT_MS);
  for (let i = 0; i < WINDOW; i++) sendNext();
  try {
    await finished;
  } finally {
    clearInterval(retransmit);
    await uac.close();
    await uas.close();
  }
}

/** RFC 3261 §13.2.2.4: the ACK for a 2xx follows the route set the 200 brought (Record-Route, reversed) to its Contact. */
function ackText(n: number, ok: SipResponse, uac: Peer): string {
  const routes = ok.getAll('Record-Route').reverse();
  return (
    `ACK ${ok.contacts[0]!.uri.toString()} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP ${uac.host}:${uac.port};branch=z9hG4bK-${n}-ack\r\n` +
    routes.map((r) => `Route: ${r}\r\n`).join('') +
    'Max-Forwards: 70\r\n' +
    `From: ${ok.get('From')}\r\n` +
    `To: ${ok.get('To')}\r\n` +
    `Call-ID: ${ok.callId}\r\n` +
    'CSeq: 1 ACK\r\n' +
    'Content-Length: 0\r\n\r\n'
  );
}

/**
 * Heap per request held through the SIP RA: a SLEE with a proxying SBB over
 * loopback UDP, measured while every transaction is still in its wait state.
 */
export async function measureRaCase(kind: RaCase, count: number): Promise<Record<string, string | number>> {
  const warm = await startSlee();
  await drive(kind, 300, 1_000_000, warm.proxy); // warm-up: compiled code belongs to the baseline
  await warm.slee.stop();
  const { slee, ra, proxy } = await startSlee();
  try {
    const before = readHeap(`ra-${kind}-before`);
    const started = Date.now();
    await drive(kind, count, 0, proxy);
    await slee.idle();
    const elapsed = Date.now() - started;
    const stats = ra.stack.transactions.stats;
    const after = readHeap(`ra-${kind}-after`);
    if (Date.now() - started >= WAIT_STATE_MS || stats.serverTransactions < count) {
      throw new Error(`${kind}: the run took ${elapsed} ms; transactions ended before the measurement (lower the count)`);
    }
    const bytes = perItem(before, after, count);
    return {
      scenario: kind === 'INVITE' ? 'SIP RA: INVITE proxied, 180 + 200 + ACK relayed' : 'SIP RA: REGISTER answered 200 by the SBB',
      transactions: count,
      'server tx live': stats.serverTransactions,
      'client tx live': stats.clientTransactions,
      'proxy contexts live': ra.stack.proxy.size,
      'SLEE activities live': slee.kernel.activities.size,
      'run ms': elapsed,
      'heap bytes/tx': bytes.heap,
      'off-heap bytes/tx': bytes.external,
    };
  } finally {
    await slee.stop();
  }
}
