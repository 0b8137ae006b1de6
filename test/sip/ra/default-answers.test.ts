import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../../slee/component-model/sbb.decorator.js';
import { Service } from '../../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../../slee/component-model/initial-event.decorator.js';
import type { SipRequestEvent } from '../../../resource-adaptors/sip/ra/sip-events.js';
import { freePort } from '../interop/sipp-runner.js';
import { startSipSlee } from './sip-ra-fixture.js';
import { exchange, request } from './udp-exchange.js';

@Service({ name: 'FailingService' })
@Sbb()
class FailingSbb {
  @InitialEvent()
  onMessage(_event: SipRequestEvent) {
    throw new Error('this service is broken');
  }
}

test('requests no service takes get the answer a SIP element owes them, and a failing service gets 500', async (t) => {
  const port = await freePort();
  const { slee } = await startSipSlee(t, { port, transports: 'udp' }, FailingSbb);
  const options = await exchange(port, request('OPTIONS', 'sip:nobody@127.0.0.1'));
  assert.match(options, /^SIP\/2\.0 200 /);
  assert.match(options, /\r\nAllow: [^\r]*INVITE/);
  assert.match(await exchange(port, request('FROB', 'sip:nobody@127.0.0.1')), /^SIP\/2\.0 501 /);
  assert.match(await exchange(port, request('OPTIONS', 'gopher:nobody@127.0.0.1')), /^SIP\/2\.0 416 /);
  const require = await exchange(port, request('INVITE', 'sip:nobody@127.0.0.1', 'Require: teleportation\n'));
  assert.match(require, /^SIP\/2\.0 420 /);
  assert.match(require, /\r\nUnsupported: teleportation\r\n/);
  assert.match(await exchange(port, request('INVITE', 'sip:nobody@127.0.0.1')), /^SIP\/2\.0 480 /, 'no service took the INVITE');
  assert.match(await exchange(port, request('MESSAGE', 'sip:nobody@127.0.0.1')), /^SIP\/2\.0 500 /, 'the service failed');
  assert.equal(slee.kernel.alarms.list().length, 1);
  const malformed = await exchange(
    port,
    'INVITE sip:x@127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:{local};branch=z9hG4bKbad\nCSeq: one INVITE\nFrom: <sip:a@b>;tag=1\nTo: <sip:c@d>\nCall-ID: bad\nMax-Forwards: 70\nContent-Length: 0\n\n',
  );
  assert.match(malformed, /^SIP\/2\.0 400 [^\r]*CSeq/, 'a 400 whose reason names the fault');
  assert.match(await exchange(port, request('OPTIONS', 'sip:nobody@127.0.0.1')), /^SIP\/2\.0 200 /, 'and the stack keeps serving');
});
