import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SipUri } from '../../../resource-adaptors/sip/message/index.js';
import { ServerLocator } from '../../../resource-adaptors/sip/transport/locate/server-locator.js';
import { orderSrv } from '../../../resource-adaptors/sip/transport/locate/srv-order.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { dnsmasqSkipReason, startDnsmasq, type Dnsmasq } from './dnsmasq.js';

const skip = dnsmasqSkipReason();

/** A fixed sequence of draws, so the weighted order is known. */
function draws(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

const ZONE = [
  // naptr.test: NAPTR prefers TCP (order 10) over UDP (order 20); SCTP is not ours and is ignored.
  '--naptr-record=naptr.test,5,10,S,SIP+D2S,,_sip._sctp.naptr.test',
  '--naptr-record=naptr.test,10,10,S,SIP+D2T,,_sip._tcp.naptr.test',
  '--naptr-record=naptr.test,20,10,S,SIP+D2U,,_sip._udp.naptr.test',
  '--naptr-record=naptr.test,30,10,S,SIPS+D2T,,_sips._tcp.naptr.test',
  '--srv-host=_sip._sctp.naptr.test,sctp.naptr.test,5090,0,0',
  '--srv-host=_sip._tcp.naptr.test,tcp.naptr.test,5070,0,0',
  '--srv-host=_sip._udp.naptr.test,udp.naptr.test,5080,0,0',
  '--srv-host=_sips._tcp.naptr.test,tls.naptr.test,5071,0,0',
  '--host-record=sctp.naptr.test,127.0.0.9',
  '--host-record=tcp.naptr.test,127.0.0.2',
  '--host-record=udp.naptr.test,127.0.0.3',
  '--host-record=tls.naptr.test,127.0.0.4',
  // srv.test: no NAPTR; UDP SRV with two priorities, the first with two weighted hosts.
  '--srv-host=_sip._udp.srv.test,w10.srv.test,5060,1,10',
  '--srv-host=_sip._udp.srv.test,w90.srv.test,5062,1,90',
  '--srv-host=_sip._udp.srv.test,backup.srv.test,5064,2,0',
  '--srv-host=_sip._tcp.srv.test,tcp.srv.test,5066,1,0',
  '--host-record=w10.srv.test,127.0.1.10',
  '--host-record=w90.srv.test,127.0.1.90',
  '--host-record=backup.srv.test,127.0.1.2',
  '--host-record=tcp.srv.test,127.0.1.6',
  // plain.test: only an address (v4 and v6).
  '--host-record=plain.test,127.0.2.1,::1',
];

describe('RFC 3263 server location against dnsmasq', { skip }, () => {
  let dns: Dnsmasq;
  let locator: ServerLocator;
  before(async () => {
    dns = await startDnsmasq(ZONE);
    locator = new ServerLocator({ servers: [dns.server], random: draws(0) });
  });
  after(() => dns.stop());

  it('follows NAPTR in order, each through SRV to A, keeping only UDP, TCP and TLS', async () => {
    assert.deepEqual(await locator.locate(SipUri.parse('sip:bob@naptr.test')), [
      { transport: 'TCP', host: '127.0.0.2', port: 5070 },
      { transport: 'UDP', host: '127.0.0.3', port: 5080 },
      { transport: 'TLS', host: '127.0.0.4', port: 5071 },
    ]);
  });

  it('resolves sips: to TLS only', async () => {
    assert.deepEqual(await locator.locate(SipUri.parse('sips:bob@naptr.test')), [{ transport: 'TLS', host: '127.0.0.4', port: 5071 }]);
  });

  it('with a transport parameter and no port, asks SRV for that transport only', async () => {
    assert.deepEqual(await locator.locate(SipUri.parse('sip:bob@naptr.test;transport=udp')), [{ transport: 'UDP', host: '127.0.0.3', port: 5080 }]);
  });

  it('without NAPTR, queries SRV for each transport, priorities in order', async () => {
    assert.deepEqual(await locator.locate(SipUri.parse('sip:bob@srv.test')), [
      { transport: 'UDP', host: '127.0.1.10', port: 5060 },
      { transport: 'UDP', host: '127.0.1.90', port: 5062 },
      { transport: 'UDP', host: '127.0.1.2', port: 5064 },
      { transport: 'TCP', host: '127.0.1.6', port: 5066 },
    ]);
  });

  it('without SRV, uses A and AAAA on 5060 over UDP (5061 over TLS for sips:)', async () => {
    assert.deepEqual(await locator.locate(SipUri.parse('sip:bob@plain.test')), [
      { transport: 'UDP', host: '127.0.2.1', port: 5060 },
      { transport: 'UDP', host: '::1', port: 5060 },
    ]);
    assert.deepEqual((await locator.locate(SipUri.parse('sips:bob@plain.test')))[0], { transport: 'TLS', host: '127.0.2.1', port: 5061 });
  });

  it('with an explicit port, uses A/AAAA only, never NAPTR or SRV', async () => {
    assert.deepEqual(await locator.locate(SipUri.parse('sip:bob@tcp.naptr.test:5999')), [{ transport: 'UDP', host: '127.0.0.2', port: 5999 }]);
    await assert.rejects(locator.locate(SipUri.parse('sip:bob@naptr.test:5999')), (err) => SleetError.is(err, ErrorCode.SIP_DNS));
  });

  it('an IP literal is its own target, without DNS', async () => {
    const offline = new ServerLocator({ servers: ['127.0.0.1:1'] });
    assert.deepEqual(await offline.locate(SipUri.parse('sip:bob@127.0.0.5;transport=tcp')), [{ transport: 'TCP', host: '127.0.0.5', port: 5060 }]);
    assert.deepEqual(await offline.locate(SipUri.parse('sips:bob@[::1]')), [{ transport: 'TLS', host: '::1', port: 5061 }]);
  });

  it('a name with no records at all is a SLEET_ERR_SIP_DNS', async () => {
    await assert.rejects(locator.locate(SipUri.parse('sip:bob@nothing.test')), (err) => SleetError.is(err, ErrorCode.SIP_DNS));
  });
});

describe('RFC 2782 SRV order', () => {
  const rec = (name: string, priority: number, weight: number) => ({ name, port: 5060, priority, weight });

  it('puts lower priorities first whatever the draw', () => {
    const ordered = orderSrv([rec('b', 2, 100), rec('a', 1, 0)], draws(0.99));
    assert.deepEqual(
      ordered.map((r) => r.name),
      ['a', 'b'],
    );
  });

  it('draws by weight within a priority: about 90 % of first picks go to weight 90', () => {
    let state = 12345;
    // A small LCG: deterministic, evenly spread.
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let heavyFirst = 0;
    for (let i = 0; i < 10_000; i++) if (orderSrv([rec('w10', 1, 10), rec('w90', 1, 90)], random)[0]!.name === 'w90') heavyFirst++;
    assert.ok(heavyFirst > 8_700 && heavyFirst < 9_200, `${heavyFirst} of 10000`);
  });

  it('follows the draw: a low draw picks the first running sum, a high one the last', () => {
    assert.deepEqual(
      orderSrv([rec('w10', 1, 10), rec('w90', 1, 90)], draws(0.05)).map((r) => r.name),
      ['w10', 'w90'],
    );
    assert.deepEqual(
      orderSrv([rec('w10', 1, 10), rec('w90', 1, 90)], draws(0.5)).map((r) => r.name),
      ['w90', 'w10'],
    );
  });
});
