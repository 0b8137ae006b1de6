import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipResponse, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import type { ServerTransaction } from '../../../resource-adaptors/sip/transaction/index.js';
import { flush, incoming, stackHarness } from '../dialog/stack-harness.js';

/** A stack whose admission refuses everything it is asked about, recording what it was asked. */
function overloaded() {
  const asked: string[] = [];
  const taken: SipRequest[] = [];
  const h = stackHarness({
    admission: {
      admit: (request) => {
        asked.push(request.method);
        return false;
      },
      retryAfterSeconds: () => 7,
      rejectPercent: () => 60,
    },
  });
  h.stack.setRequestHandler((request: SipRequest, tx: ServerTransaction) => {
    taken.push(request);
    tx.respond(SipResponse.fromRequest(request, 200, undefined, 'uas1'));
    return true;
  });
  return { ...h, asked, taken };
}

for (const method of ['INVITE', 'REGISTER', 'SUBSCRIBE', 'MESSAGE', 'OPTIONS']) {
  test(`an overloaded stack refuses a new out-of-dialog ${method} with a stateless 503 and Retry-After, before any transaction exists`, async () => {
    const { stack, transport, asked, taken } = overloaded();
    transport.inject(incoming({ method, callId: `shed-${method}` }));
    await flush();
    assert.deepEqual(asked, [method]);
    assert.equal(taken.length, 0, 'the request never reached the transaction user');
    const [response] = transport.responses();
    assert.equal(response?.status, 503);
    assert.equal(response?.get('Retry-After'), '7');
    assert.notEqual(response?.to.tag, undefined, 'a final response carries a To-tag');
    assert.equal(stack.transactions.stats.serverTransactions, 0, 'shedding keeps no state');
  });
}

test('ACK, CANCEL, BYE and in-dialog requests are never shed', async () => {
  const { transport, asked } = overloaded();
  transport.inject(incoming({ method: 'ACK', toTag: 'x1', branch: 'z9hG4bKack' }));
  transport.inject(incoming({ method: 'CANCEL', branch: 'z9hG4bKcancel' }));
  transport.inject(incoming({ method: 'BYE', toTag: 'x2', branch: 'z9hG4bKbye' }));
  transport.inject(incoming({ method: 'INFO', toTag: 'x3', branch: 'z9hG4bKinfo' }));
  transport.inject(incoming({ method: 'INVITE', toTag: 'x4', branch: 'z9hG4bKreinvite', callId: 'reinvite' }));
  await flush();
  assert.deepEqual(asked, [], 'admission was never asked about work in progress');
  assert.deepEqual(transport.responses(503), [], 'nothing was refused with 503');
  assert.deepEqual(
    transport
      .responses()
      .map((r) => r.status)
      .sort(),
    [481, 481, 481, 481],
    'CANCEL and the in-dialog requests met the stack as usual (no such transaction or dialog)',
  );
});

test("an upstream that offers RFC 7339 overload control gets oc parameters in the 503's Via", async () => {
  const { transport } = overloaded();
  const request = incoming({ method: 'INVITE', callId: 'oc-1' });
  const vias = request.getAll('Via');
  vias[0] = `${vias[0]};oc`;
  request.set('Via', vias);
  transport.inject(request);
  await flush();
  const via = transport.responses(503)[0]!.topVia!;
  assert.equal(via.params.get('oc'), '60', 'the share of requests the upstream should drop, in percent');
  assert.equal(via.params.get('oc-algo'), '"loss"');
  assert.ok(Number(via.params.get('oc-validity')) > 0);
  assert.match(via.params.get('oc-seq') ?? '', /^\d+(\.\d+)?$/);
});

test('without the oc parameter in the request, the 503 adds none', async () => {
  const { transport } = overloaded();
  transport.inject(incoming({ method: 'INVITE', callId: 'no-oc' }));
  await flush();
  assert.equal(transport.responses(503)[0]!.topVia!.params.has('oc'), false);
});
