import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Via } from '../../../resource-adaptors/sip/message/index.js';
import { viaDestination } from '../../../resource-adaptors/sip/transport/response-destination.js';
import type { MessageSource } from '../../../resource-adaptors/sip/transport/transport-types.js';

const SOURCE: MessageSource = { transport: 'UDP', remoteAddress: '192.0.2.7', remotePort: 40000, localAddress: '127.0.0.1', localPort: 5060 };

describe('where a response goes (RFC 3261 §18.2.2, RFC 3581 §4)', () => {
  it('sends to maddr at the Via port when the top Via names one, ahead of received and rport', () => {
    const via = Via.parse('SIP/2.0/UDP host.example.com:5070;branch=z9hG4bKa;received=192.0.2.7;rport=40000;maddr=[2001:db8::5]');
    assert.deepEqual(viaDestination(via, SOURCE), { transport: 'UDP', host: '2001:db8::5', port: 5070 });
  });

  it('sends back to the source with rport, to received otherwise, and to the sent-by without either', () => {
    assert.deepEqual(viaDestination(Via.parse('SIP/2.0/UDP host.example.com;branch=z9hG4bKa;rport'), SOURCE), {
      transport: 'UDP',
      host: '192.0.2.7',
      port: 40000,
    });
    assert.deepEqual(viaDestination(Via.parse('SIP/2.0/UDP host.example.com:5070;branch=z9hG4bKa;received=192.0.2.9'), SOURCE), {
      transport: 'UDP',
      host: '192.0.2.9',
      port: 5070,
    });
    assert.deepEqual(viaDestination(Via.parse('SIP/2.0/UDP host.example.com;branch=z9hG4bKa')), { transport: 'UDP', host: 'host.example.com', port: 5060 });
  });
});
