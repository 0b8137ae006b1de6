import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
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
    assert.deepEqual(
      first.map((r) => r.status),
      [400],
      'the malformed Route is answered with a 400',
    );
    assert.match(first[0]!.reason, /Route/);
    clock.advance(TIMER_J);
    assert.equal(stack.transactions.stats.serverTransactions, 0, 'the transaction ended at Timer J');
    clock.advance(100_000 - TIMER_J);
    transport.inject(options());
    await flush();
    assert.deepEqual(
      transport.responses().map((r) => r.status),
      [400, 400],
      'the retransmission is answered, not absorbed',
    );
    assert.deepEqual(errors, [], 'malformed input is not a stack error');
  });

  it('an INVITE with a malformed Route gets a 400 before the handler, and its transaction ends at Timer H', async () => {
    let handled = 0;
    const { stack, transport, clock } = stackHarness({ onRequest: () => void handled++ });
    transport.inject(incoming({ method: 'INVITE', extra: 'Route: <sip:a@b;lr>, <<<\n' }));
    await flush();
    assert.deepEqual(
      transport.responses().map((r) => r.status),
      [400],
    );
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
    assert.deepEqual(
      transport
        .responses()
        .filter((r) => r.status >= 200)
        .map((r) => r.status)
        .sort(),
      [400, 500],
    );
    clock.advance(TIMER_J);
    assert.equal(stack.transactions.stats.serverTransactions, 0);
  });
});

describe('malformed input is counted and logged at a bounded rate, without stack traces', () => {
  it('a flood of 100 malformed requests writes 10 lines a minute, counts all of them, and reports no stack error', async () => {
    const lines: string[] = [];
    const { stack, transport, clock, errors } = stackHarness({ logMalformed: (line) => lines.push(line) });
    for (let i = 0; i < 100; i++) transport.inject(incoming({ method: 'OPTIONS', branch: `z9hG4bKflood${i}`, extra: 'Route: <<<\n' }));
    await flush();
    assert.equal(transport.responses(400).length, 100);
    assert.equal(stack.counters.invalidRequests, 100);
    assert.equal(stack.malformedInput.total, 100);
    assert.equal(lines.length, 10);
    assert.match(lines[0]!, /^malformed SIP input from UDP 127\.0\.0\.1:5070: Bad Request - malformed Route header$/);
    assert.ok(
      lines.every((line) => !line.includes('\n') && !/\bat /.test(line)),
      'no stack trace in any line',
    );
    clock.advance(60_000);
    transport.inject(incoming({ method: 'OPTIONS', branch: 'z9hG4bKlater', extra: 'Route: <<<\n' }));
    await flush();
    assert.deepEqual(lines.slice(10, 11), ['malformed SIP input: 90 more not logged in the previous 60 s']);
    assert.equal(lines.length, 12);
    assert.deepEqual(errors, []);
  });

  it('a handler failing on a malformed header counts as malformed input; any other failure as a user failure', async () => {
    const { stack, transport } = stackHarness({
      onRequest: (request) => {
        if (request.method === 'MESSAGE') throw new SleetError(ErrorCode.SIP_PARSE, 'malformed Refer-To header');
        throw new Error('a bug');
      },
    });
    transport.inject(incoming({ method: 'MESSAGE', branch: 'z9hG4bKm1' }));
    transport.inject(incoming({ method: 'INFO', branch: 'z9hG4bKm2', callId: 'c2' }));
    await flush();
    assert.equal(stack.transactions.stats.malformed, 1);
    assert.equal(stack.transactions.stats.userFailures, 1);
    assert.equal(stack.malformedInput.total, 1);
  });
});

describe("the stack's semantic checks come before any handler", () => {
  // A handler that refuses everything, as the demo's domain check does for foreign domains.
  const refuseAll = (request: SipRequest, tx: { respond(r: ReturnType<typeof buildResponse>): void }) => {
    tx.respond(buildResponse(request, 403, { toTag: 'h' }));
    return true;
  };

  for (const [name, reason] of [
    ['mismatch01', /CSeq/],
    ['multi01', /multiple/],
    ['mcl01', /Content-Length/],
  ] as const) {
    it(`${name} gets a 400 whatever the handler would have said`, async () => {
      const { transport } = stackHarness({ onRequest: refuseAll });
      transport.inject(parseMessage(torture(name)) as SipRequest);
      await flush();
      const finals = transport.responses().filter((r) => r.status >= 200);
      assert.deepEqual(
        finals.map((r) => r.status),
        [400],
      );
      assert.match(finals[0]!.reason, reason);
    });
  }

  it('a REGISTER with a malformed Expires gets a 400, not whatever a registrar failing to read it would say', async () => {
    const { transport } = stackHarness({ onRequest: refuseAll });
    transport.inject(incoming({ method: 'REGISTER', uri: 'sip:127.0.0.1', extra: 'Expires: soon\n' }));
    await flush();
    const finals = transport.responses().filter((r) => r.status >= 200);
    assert.deepEqual(
      finals.map((r) => r.status),
      [400],
    );
    assert.match(finals[0]!.reason, /Expires/);
  });

  it('mismatch02 (unknown method, CSeq mismatch) gets a 501 whatever the handler would have said', async () => {
    const { transport } = stackHarness({ onRequest: refuseAll, role: 'proxy' });
    transport.inject(parseMessage(torture('mismatch02')) as SipRequest);
    await flush();
    assert.deepEqual(
      transport.responses().map((r) => r.status),
      [501],
    );
  });
});
