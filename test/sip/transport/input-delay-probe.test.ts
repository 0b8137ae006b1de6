import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { TransportLayer } from '../../../resource-adaptors/sip/transport/transport-layer.js';
import { holdEventLoop } from '../../helpers/hold-event-loop.js';

test("the input-delay probe times a datagram's wait in a UDP listen point's queue, and is neither parsed nor counted as SIP", async (t) => {
  const transport = new TransportLayer();
  t.after(() => transport.close());
  const lp = await transport.listen({ transport: 'UDP', host: '127.0.0.1', port: 0 });
  const delays: number[] = [];
  transport.setReceiver(() => assert.fail('a probe reached the SIP receiver'));
  // The test drives the probe's ticks itself, as the load sampler does.
  let tick = (): void => assert.fail('the probe did not start its ticks');
  let stopped = false;
  await transport.probeInputDelay(
    (next) => {
      tick = next;
      return () => (stopped = true);
    },
    (ms) => delays.push(ms),
  );
  const probe = { tick: () => tick() };

  probe.tick();
  // The probe is on its way; nothing is read while the loop is held.
  holdEventLoop(150);
  await until(() => delays.length === 1);
  assert.ok(delays[0]! >= 150, `the wait behind a held loop was measured (${delays[0]} ms)`);

  // A probe still unread at the next tick reports how long it has waited so far, and no second one is sent.
  probe.tick();
  holdEventLoop(60);
  probe.tick();
  assert.ok(delays[1]! >= 60, `an unread probe counts while it waits (${delays[1]} ms)`);
  await until(() => delays.length === 3);

  // A forged probe (the right shape, an unknown nonce) from anyone is dropped.
  const forger = createSocket('udp4');
  t.after(() => forger.close());
  const forged = Buffer.concat([Buffer.from('\0sleet-input-delay-probe\0', 'latin1'), Buffer.alloc(8)]);
  forger.send(forged, lp.port, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(delays.length, 3, 'a forged probe is not timed');
  assert.equal(transport.counters.messagesIn, 0, 'probes are not SIP messages');
  assert.equal(transport.counters.parseErrors, 0);
  await transport.close();
  assert.ok(stopped, 'a closed transport stops its ticks');
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(condition(), 'the probe was read');
}
