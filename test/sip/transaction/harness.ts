import { FakeClock } from '../../../base/clock/fake-clock.js';
import { SipResponse, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import type { MessageSource, TransportTarget } from '../../../resource-adaptors/sip/transport/transport-types.js';
import {
  TransactionLayer,
  type ClientTransaction,
  type ClientTransactionOwner,
  type ServerTransaction,
  type Transaction,
  type TransactionUser,
} from '../../../resource-adaptors/sip/transaction/index.js';
import { FakeTransport } from './fake-transport.js';

export class RecordingUser implements TransactionUser {
  readonly requests: Array<{ tx: ServerTransaction; request: SipRequest }> = [];
  readonly acks: SipRequest[] = [];
  readonly strayResponses: SipResponse[] = [];
  readonly terminated: Transaction[] = [];
  /** Called for each new server transaction, e.g. to answer it at once. */
  answer?: (tx: ServerTransaction, request: SipRequest) => void;

  onRequest(tx: ServerTransaction, request: SipRequest): void {
    this.requests.push({ tx, request });
    this.answer?.(tx, request);
  }
  onAck(ack: SipRequest, _source: MessageSource): void {
    this.acks.push(ack);
  }
  onStrayResponse(response: SipResponse, _source: MessageSource): void {
    this.strayResponses.push(response);
  }
  onTransactionTerminated(tx: Transaction): void {
    this.terminated.push(tx);
  }
}

export class RecordingOwner implements ClientTransactionOwner {
  readonly responses: SipResponse[] = [];
  terminated = 0;
  onResponse(response: SipResponse, _tx: ClientTransaction): void {
    this.responses.push(response);
  }
  onTerminated(_tx: ClientTransaction): void {
    this.terminated++;
  }
  get statuses(): number[] {
    return this.responses.map((r) => r.status);
  }
}

export const UDP_TARGET: TransportTarget = { transport: 'UDP', host: '127.0.0.1', port: 5070 };
export const TCP_TARGET: TransportTarget = { transport: 'TCP', host: '127.0.0.1', port: 5070 };

export function setup(): { clock: FakeClock; transport: FakeTransport; user: RecordingUser; layer: TransactionLayer; errors: unknown[] } {
  const clock = new FakeClock();
  const transport = new FakeTransport(() => clock.now());
  const user = new RecordingUser();
  const errors: unknown[] = [];
  const layer = new TransactionLayer(transport, { clock, user, onError: (e) => errors.push(e) });
  return { clock, transport, user, layer, errors };
}

/** A layer on a fake clock whose user answers every request with `status` and keeps nothing of it but the transaction, and the ids of those that ended. */
export function answeringLayer(status: number, clock: FakeClock = new FakeClock()) {
  const transport = new FakeTransport(() => clock.now());
  const txs: ServerTransaction[] = [];
  const terminated: string[] = [];
  const layer = new TransactionLayer(transport, {
    clock,
    user: {
      onRequest: (tx, req) => {
        txs.push(tx);
        tx.respond(SipResponse.fromRequest(req, status, undefined, 'uas'));
      },
      onTransactionTerminated: (tx) => terminated.push(tx.id),
    },
  });
  return { clock, transport, txs, layer, terminated };
}
