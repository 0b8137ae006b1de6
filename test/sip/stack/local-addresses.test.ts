import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipStack } from '../../../resource-adaptors/sip/stack/sip-stack.js';
import { TransportLayer } from '../../../resource-adaptors/sip/transport/transport-layer.js';

test('the listen points are one array until one is added: the stack reads them several times for every request', async (t) => {
  const transport = new TransportLayer();
  t.after(() => transport.close());
  await transport.listen({ transport: 'UDP', host: '127.0.0.1', port: 0 });
  const first = transport.listenPoints;
  assert.equal(transport.listenPoints, first, 'read twice, built once');
  await transport.listen({ transport: 'TCP', host: '127.0.0.1', port: 0 });
  assert.notEqual(transport.listenPoints, first);
  assert.deepEqual(
    transport.listenPoints.map((lp) => lp.transport),
    ['UDP', 'TCP'],
  );
});

test('isLocal knows a listen point added after it was first asked, and by any spelling of its address', async (t) => {
  const stack = new SipStack({ listen: [{ transport: 'UDP', host: '127.0.0.1', port: 0 }] });
  t.after(() => stack.close());
  const [udp] = await stack.start();
  assert.ok(stack.isLocal('127.0.0.1', udp!.port));
  assert.ok(stack.isLocal('::FFFF:127.0.0.1', udp!.port), 'an IPv4-mapped address is the same host');
  assert.equal(stack.isLocal('127.0.0.1', udp!.port + 1), false);
  const tcp = await (stack.transport as TransportLayer).listen({ transport: 'TCP', host: '127.0.0.2', port: 0 });
  assert.ok(stack.isLocal('127.0.0.2', tcp.port), 'the new listen point is ours');
  assert.equal(stack.isLocal('127.0.0.2', udp!.port), false, 'its address with another port is not');
});
