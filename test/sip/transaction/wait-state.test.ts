import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../base/clock/fake-clock.js';
import { parseMessage, type SipRequest, type SipResponse } from '../../../resource-adaptors/sip/message/index.js';
import { TransactionLayer } from '../../../resource-adaptors/sip/transaction/index.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { FakeTransport, flush } from './fake-transport.js';
import { answeringLayer, RecordingOwner, UDP_TARGET } from './harness.js';
import { request, response } from './messages.js';

/** Whether the object behind `ref` is gone after a full GC, once the job that last touched it has ended. */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  await new Promise((resolve) => setImmediate(resolve));
  (globalThis as { gc?: () => void }).gc!();
  return ref.deref() === undefined;
}

const bytesOf = (m: SipRequest | SipResponse) => m.toBuffer().toString('latin1');

describe('transactions in their wait state', () => {
  it('re-send the very bytes of their final response to a retransmitted request (Completed, Timer J)', () => {
    const { transport, txs } = answeringLayer(200);
    transport.inject(request({ method: 'REGISTER', branch: 'z9hG4bKreg' }));
    transport.inject(request({ method: 'REGISTER', branch: 'z9hG4bKreg' }));
    transport.inject(request({ method: 'REGISTER', branch: 'z9hG4bKreg' }));
    assert.equal(txs.length, 1, 'retransmissions are absorbed');
    assert.equal(txs[0]!.state, 'Completed');
    const sent = transport.responses(200).map(bytesOf);
    assert.equal(sent.length, 3);
    assert.equal(sent[1], sent[0]);
    assert.equal(sent[2], sent[0]);
    assert.deepEqual(transport.sent[1]!.source, transport.sent[0]!.source, 'back to where the request came from');
  });

  it('re-send to where the top Via says, whether or not that is where the request came from (§18.2.2)', () => {
    for (const [via, port] of [
      ['127.0.0.1:5070', 5070],
      ['127.0.0.1:5080', 5080],
      ['127.0.0.1:5080;rport', 5070],
    ] as const) {
      const { transport } = answeringLayer(200);
      const register = () => {
        const text = request({ method: 'REGISTER', branch: 'z9hG4bKvia' }).toBuffer().toString('latin1');
        return parseMessage(Buffer.from(text.replace('127.0.0.1:5070;branch', `${via};branch`), 'latin1')) as SipRequest;
      };
      transport.inject(register());
      transport.inject(register());
      const resent = transport.sent[1]!;
      assert.equal(resent.target?.port, port, `Via ${via}: the retransmitted 200 goes to port ${port}`);
      assert.equal(resent.target?.host, '127.0.0.1');
      assert.equal(resent.target?.transport, 'UDP');
    }
  });

  it('re-send a non-2xx to INVITE byte for byte on Timer G and on a retransmitted INVITE, and still absorb its ACK', () => {
    const { clock, transport, txs, layer } = answeringLayer(486);
    transport.inject(request({ branch: 'z9hG4bKbusy' }));
    clock.advance(500);
    transport.inject(request({ branch: 'z9hG4bKbusy' }));
    const sent = transport.responses(486).map(bytesOf);
    assert.equal(sent.length, 3);
    assert.ok(sent.every((b) => b === sent[0]));
    transport.inject(request({ method: 'ACK', branch: 'z9hG4bKbusy', toTag: 'uas' }));
    assert.equal(txs[0]!.state, 'Confirmed');
    assert.equal(layer.stats.strayAcks, 0);
  });

  it('let go of the parsed request and response once the final response is out, while Completed and Accepted', async () => {
    for (const [method, status, state] of [
      ['REGISTER', 200, 'Completed'],
      ['INVITE', 486, 'Completed'],
      ['INVITE', 200, 'Accepted'],
    ] as const) {
      const { transport, txs } = answeringLayer(status);
      let req: SipRequest | undefined = request({ method, branch: `z9hG4bK${method}${status}` });
      const requestRef = new WeakRef(req);
      transport.inject(req);
      req = undefined;
      const responseRef = new WeakRef(transport.responses(status)[0]!);
      transport.sent.length = 0; // the test transport's own record of what went out
      assert.ok(await collected(requestRef), `${method} ${status}: request collected`);
      assert.ok(await collected(responseRef), `${method} ${status}: response collected`);
      assert.equal(txs[0]!.state, state);
      assert.equal(txs[0]!.method, method);
    }
  });

  it('refuse to hand out the request after the final response, with SIP_TRANSACTION', () => {
    const { transport, txs } = answeringLayer(200);
    transport.inject(request({ method: 'OPTIONS' }));
    assert.throws(
      () => txs[0]!.request,
      (err) => SleetError.is(err, ErrorCode.SIP_TRANSACTION),
    );
  });

  it('still find an INVITE for a CANCEL after its request was let go', () => {
    const { transport, txs, layer } = answeringLayer(200);
    transport.inject(request({ branch: 'z9hG4bKcan' }));
    assert.equal(layer.findInviteForCancel(request({ method: 'CANCEL', branch: 'z9hG4bKcan' })), txs[0]);
  });

  it('INVITE client: let go of the request at a 2xx and still pass later 2xx to the owner (Accepted)', async () => {
    const clock = new FakeClock();
    const transport = new FakeTransport(() => clock.now());
    const layer = new TransactionLayer(transport, { clock });
    const owner = new RecordingOwner();
    let invite: SipRequest | undefined = request({ branch: 'z9hG4bKcli' });
    const [ok, again] = [response(invite, 200, 'b'), response(invite, 200, 'b')];
    const requestRef = new WeakRef(invite);
    const tx = layer.createClientTransaction(invite, UDP_TARGET, owner);
    invite = undefined;
    await flush();
    transport.inject(ok);
    transport.sent.length = 0;
    assert.ok(await collected(requestRef));
    transport.inject(again);
    assert.equal(tx.state, 'Accepted');
    assert.deepEqual(owner.statuses, [200, 200]);
  });

  it('INVITE client: re-send the same ACK bytes for each retransmitted non-2xx (Completed, Timer D)', async () => {
    const clock = new FakeClock();
    const transport = new FakeTransport(() => clock.now());
    const layer = new TransactionLayer(transport, { clock });
    const owner = new RecordingOwner();
    const invite = request({ branch: 'z9hG4bKack' });
    const busy = response(invite, 486, 'b');
    const tx = layer.createClientTransaction(invite, UDP_TARGET, owner);
    await flush();
    transport.inject(busy);
    transport.inject(response(invite, 486, 'b'));
    transport.inject(response(invite, 486, 'b'));
    const acks = transport.requests('ACK');
    assert.equal(acks.length, 3);
    assert.ok(acks.every((a) => bytesOf(a) === bytesOf(acks[0]!)));
    assert.deepEqual(transport.sent.at(-1)!.target, UDP_TARGET, 'to where the INVITE went');
    assert.equal(tx.state, 'Completed');
    assert.deepEqual(owner.statuses, [486], 'retransmissions are absorbed');
  });
});
