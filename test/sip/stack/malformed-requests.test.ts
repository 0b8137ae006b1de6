import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../../slee/errors/error-codes.js';
import { SleetError } from '../../../slee/errors/sleet-error.js';
import { buildResponse } from '../../../resource-adaptors/sip/dialog/index.js';
import { parseMessage, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { flush, incoming, stackHarness } from '../dialog/stack-harness.js';
import { torture } from '../message/torture-fixtures.js';

const TIMER_J = 64 * 500;

describe('malformed requests reach Terminated with an answer', () => {
  it('an OPTIONS with a To-tag and a malformed Route gets a 400, ends at Timer J, and a retransmission 100 s later is answered again', async () => {
    const { stack, transport, clock, errors } = stackHarness();
    const options = () => incoming({ method: 'OPTIONS', toTag: 'stranger', extra: 'Route: <<<\n' });
    transport.inject(options());
    await flush();
    const first = transport.responses();
    assert.deepEqual(first.map((r) => r.status), [400], 'the malformed Route is answered with a 400');
    assert.match(first[0]!.reason, /Route/);
    clock.advance(TIMER_J);
    assert.equal(stack.transactions.stats.serverTransactions, 0, 'the transaction ended at Timer J');
    clock.advance(100_000 - TIMER_J);
    transport.inject(options());
    await flush();
    assert.deepEqual(transport.responses().map((r) => r.status), [400, 400], 'the retransmission is answered, not absorbed');
    assert.deepEqual(errors, [], 'malformed input is not a stack error');
  });

  it('an INVITE with a malformed Route gets a 400 before the handler, and its transaction ends at Timer H', async () => {
    let handled = 0;
    const { stack, transport, clock } = stackHarness({ onRequest: () => void handled++ });
    transport.inject(incoming({ method: 'INVITE', extra: 'Route: <sip:a@b;lr>, <<<\n' }));
    await flush();
    assert.deepEqual(transport.responses().map((r) => r.status), [400]);
    assert.equal(handled, 0);
    clock.advance(TIMER_J);
    assert.equal(stack.transactions.stats.serverTransactions, 0);
  });

  it('a handler that throws leaves no transaction open: a parse error is a 400, anything else a 500', async () => {
    const { stack, transport, clock } = stackHarness({
      onRequest: (request) => {
        if (request.callId === 'parse@x') throw new SleetError(ErrorCode.SIP_PARSE, 'malformed Refer-To header');
        throw new Error('a bug in the handler');
      },
    });
    transport.inject(incoming({ method: 'MESSAGE', callId: 'parse@x', branch: 'z9hG4bKp1' }));
    transport.inject(incoming({ method: 'INVITE', callId: 'bug@x', branch: 'z9hG4bKp2' }));
    await flush();
    assert.deepEqual(transport.responses().filter((r) => r.status >= 200).map((r) => r.status).sort(), [400, 500]);
    clock.advance(TIMER_J);
    assert.equal(stack.transactions.stats.serverTransactions, 0);
  });
});

describe("the stack's semantic checks come before any handler", () => {
  // A handler that refuses everything, as the demo's domain check does for foreign domains.
  const refuseAll = (request: SipRequest, tx: { respond(r: ReturnType<typeof buildResponse>): void }) => {
    tx.respond(buildResponse(request, 403, { toTag: 'h' }));
    return true;
  };

  for (const [name, reason] of [['mismatch01', /CSeq/], ['multi01', /multiple/], ['mcl01', /Content-Length/]] as const) {
    it(`${name} gets a 400 whatever the handler would have said`, async () => {
      const { transport } = stackHarness({ onRequest: refuseAll });
      transport.inject(parseMessage(torture(name)) as SipRequest);
      await flush();
      const finals = transport.responses().filter((r) => r.status >= 200);
      assert.deepEqual(finals.map((r) => r.status), [400]);
      assert.match(finals[0]!.reason, reason);
    });
  }

  it('mismatch02 (unknown method, CSeq mismatch) gets a 501 whatever the handler would have said', async () => {
    const { transport } = stackHarness({ onRequest: refuseAll, role: 'proxy' });
    transport.inject(parseMessage(torture('mismatch02')) as SipRequest);
    await flush();
    assert.deepEqual(transport.responses().map((r) => r.status), [501]);
  });
});
