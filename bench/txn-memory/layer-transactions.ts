import { FakeClock } from '../../base/clock/fake-clock.js';
import { buildResponse } from '../../resource-adaptors/sip/dialog/build-response.js';
import type { SipRequest, SipResponse } from '../../resource-adaptors/sip/message/index.js';
import { TransactionLayer, type ServerTransaction } from '../../resource-adaptors/sip/transaction/index.js';
import type { MessageSource, ResponseDestination, SendResult, SipTransport, TransportTarget } from '../../resource-adaptors/sip/transport/transport-types.js';
import { perItem, readHeap } from './heap-probe.js';
import { answerText, inviteText, parseDatagram, registerText, type Peer } from './wire-messages.js';

const PEER: Peer = { host: '127.0.0.1', port: 5070 };
const TARGET: TransportTarget = { transport: 'UDP', host: PEER.host, port: PEER.port };

/** Serialises what it is given, as the real transport does, and sends nothing. */
class DiscardingTransport implements SipTransport {
  setReceiver(): void {}

  sendRequest(request: SipRequest, target: TransportTarget): Promise<SendResult> {
    request.toBuffer();
    return Promise.resolve({ transport: target.transport, reliable: false, remoteAddress: target.host, remotePort: target.port ?? 5060 });
  }

  sendResponse(response: SipResponse, source?: MessageSource): Promise<SendResult> {
    response.toBuffer();
    return Promise.resolve({ transport: 'UDP', reliable: false, remoteAddress: source?.remoteAddress ?? '', remotePort: source?.remotePort ?? 0 });
  }

  resend(_bytes: Buffer, destination: ResponseDestination): Promise<SendResult> {
    return Promise.resolve({ transport: destination.transport, reliable: false, remoteAddress: destination.host, remotePort: destination.port });
  }
}

export interface LayerCase {
  name: string;
  side: 'server' | 'client';
  method: 'INVITE' | 'REGISTER';
  status: number;
}

/** Each machine left in the wait state after its final response (RFC 3261 §17, RFC 6026). */
export const LAYER_CASES: readonly LayerCase[] = [
  { name: 'INVITE server, 200: Accepted (Timer L)', side: 'server', method: 'INVITE', status: 200 },
  { name: 'INVITE server, 486: Completed (Timer H)', side: 'server', method: 'INVITE', status: 486 },
  { name: 'REGISTER server, 200: Completed (Timer J)', side: 'server', method: 'REGISTER', status: 200 },
  { name: 'INVITE client, 200: Accepted (Timer M)', side: 'client', method: 'INVITE', status: 200 },
  { name: 'INVITE client, 486: Completed (Timer D)', side: 'client', method: 'INVITE', status: 486 },
  { name: 'REGISTER client, 200: Completed (Timer K)', side: 'client', method: 'REGISTER', status: 200 },
];

function source(): MessageSource {
  return { transport: 'UDP', remoteAddress: PEER.host, remotePort: PEER.port, localAddress: '127.0.0.1', localPort: 5060 };
}

function requestText(c: LayerCase, n: number): string {
  return c.method === 'INVITE' ? inviteText(n, PEER, 'sip:service@bench.test') : registerText(n, PEER, 'bench.test');
}

/** Drives `count` transactions of one case through a TransactionLayer whose clock never moves, so all stay in their wait state. */
async function drive(c: LayerCase, count: number, first: number): Promise<TransactionLayer> {
  const layer = new TransactionLayer(new DiscardingTransport(), { clock: new FakeClock() });
  if (c.side === 'server') {
    layer.setUser({
      onRequest: (tx: ServerTransaction, request: SipRequest) => tx.respond(buildResponse(request, c.status, { toTag: `uas${request.cseq.seq}` })),
    });
    for (let n = first; n < first + count; n++) layer.receive(parseDatagram(requestText(c, n)), source());
    return layer;
  }
  const requests: SipRequest[] = [];
  for (let n = first; n < first + count; n++) {
    const request = parseDatagram<SipRequest>(requestText(c, n));
    layer.createClientTransaction(request, TARGET, { onResponse: () => undefined });
    requests.push(request);
  }
  await new Promise((resolve) => setImmediate(resolve)); // the sends resolve
  for (const request of requests.splice(0)) layer.receive(parseDatagram(answerText(request, c.status, 'uas', PEER)), source());
  return layer;
}

/** Heap held per transaction in its wait state, for one machine. */
export async function measureLayerCase(c: LayerCase, count: number): Promise<Record<string, string | number>> {
  (await drive(c, 500, 1_000_000)).close(); // warm-up: compiled code belongs to the baseline
  const before = readHeap(`layer-${c.side}-${c.method}-${c.status}-before`);
  const layer = await drive(c, count, 0);
  const after = readHeap(`layer-${c.side}-${c.method}-${c.status}-after`);
  const stats = layer.stats;
  const live = c.side === 'server' ? stats.serverTransactions : stats.clientTransactions;
  layer.close();
  if (live !== count) throw new Error(`${c.name}: ${live} of ${count} transactions still live`);
  const bytes = perItem(before, after, count);
  return { scenario: `transaction layer: ${c.name}`, transactions: count, 'heap bytes/tx': bytes.heap, 'off-heap bytes/tx': bytes.external };
}
