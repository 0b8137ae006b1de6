import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SipStack, type SipRequest, type SipResponse } from '../../../resource-adaptors/sip/index.js';
import { freePort } from '../interop/sipp-runner.js';
import { dnsmasqSkipReason, startDnsmasq, type Dnsmasq } from './dnsmasq.js';

const skip = dnsmasqSkipReason();

const LOOPBACK_UDP_TCP = [
  { transport: 'UDP' as const, host: '127.0.0.1', port: 0 },
  { transport: 'TCP' as const, host: '127.0.0.1', port: 0 },
];

/** The stack's listen port for a transport. */
function portOf(stack: SipStack, transport: 'UDP' | 'TCP'): number {
  return stack.listenPoints.find((l) => l.transport === transport)!.port;
}

function finalOf(stack: SipStack, request: SipRequest, target?: { transport: 'UDP'; host: string; port: number }): Promise<SipResponse> {
  return new Promise((resolve) => stack.sendRequest(request, { ...(target ? { target } : {}), onResponse: (r) => r.status >= 200 && resolve(r) }));
}

describe('the transport RFC 3263 picks is the one our Via, Contact and Record-Route name', { skip }, () => {
  let dns: Dnsmasq;
  let uas: SipStack;
  const received: SipRequest[] = [];
  let ua: SipStack;
  let proxy: SipStack;

  before(async () => {
    // The far end says TCP with NAPTR: the URI sip:bob@tcp.test implies nothing (so UDP).
    uas = new SipStack({ listen: LOOPBACK_UDP_TCP });
    uas.setRequestHandler((request, tx) => {
      received.push(request);
      uas.dialogs.answer(tx, 200);
      return true;
    });
    await uas.start();
    dns = await startDnsmasq([
      '--auth-zone=test',
      '--auth-server=ns.test,127.0.0.1',
      '--naptr-record=tcp.test,10,10,S,SIP+D2T,,_sip._tcp.tcp.test',
      `--srv-host=_sip._tcp.tcp.test,box.tcp.test,${portOf(uas, 'TCP')},0,0`,
      '--host-record=box.tcp.test,127.0.0.1',
      // fallback.test: TCP first, on a port nobody listens on, then UDP.
      '--naptr-record=fallback.test,10,10,S,SIP+D2T,,_sip._tcp.fallback.test',
      '--naptr-record=fallback.test,20,10,S,SIP+D2U,,_sip._udp.fallback.test',
      `--srv-host=_sip._tcp.fallback.test,box.tcp.test,${await freePort()},0,0`,
      `--srv-host=_sip._udp.fallback.test,box.tcp.test,${portOf(uas, 'UDP')},0,0`,
    ]);
    ua = new SipStack({ listen: LOOPBACK_UDP_TCP, dnsServers: [dns.server] });
    await ua.start();
    proxy = new SipStack({
      listen: LOOPBACK_UDP_TCP,
      role: 'proxy',
      dnsServers: [dns.server],
      onRequest: (request, tx) => {
        proxy.proxy.proxyTo(tx, [{ uri: request.uri.clone() }]);
        return true;
      },
    });
    await proxy.start();
  });

  after(async () => {
    await ua.close();
    await proxy.close();
    await uas.close();
    await dns.stop();
  });

  it('a UA request to a name NAPTR sends over TCP has a TCP Via and a Contact with transport=tcp on our TCP port', async () => {
    received.length = 0;
    const response = await finalOf(ua, ua.createRequest('MESSAGE', { to: 'sip:bob@tcp.test' }));
    assert.equal(response.status, 200);
    const [request] = received;
    assert.equal(request!.topVia!.transport, 'TCP');
    const contact = request!.contacts[0]!.uri;
    assert.equal(contact.transport, 'tcp', `Contact ${contact.toString()}`);
    assert.equal(contact.port, portOf(ua, 'TCP'));
  });

  it('a proxy taking a request in over UDP and out over TCP (by NAPTR) record-routes twice, the top one for TCP', async () => {
    received.length = 0;
    const response = await finalOf(ua, ua.createRequest('MESSAGE', { to: 'sip:bob@tcp.test' }), {
      transport: 'UDP',
      host: '127.0.0.1',
      port: portOf(proxy, 'UDP'),
    });
    assert.equal(response.status, 200);
    const [request] = received;
    assert.equal(request!.topVia!.transport, 'TCP');
    const routes = request!.recordRoutes.map((r) => r.uri);
    assert.equal(routes.length, 2, `Record-Route: ${request!.getAll('Record-Route').join(', ')}`);
    assert.equal(routes[0]!.transport, 'tcp');
    assert.equal(routes[0]!.port, portOf(proxy, 'TCP'));
    assert.equal(routes[1]!.transport, undefined, 'the second names UDP, where the request came from');
    assert.equal(routes[1]!.port, portOf(proxy, 'UDP'));
  });

  it('failing over from a TCP target to a UDP one takes the Contact back to UDP', async () => {
    received.length = 0;
    const response = await finalOf(ua, ua.createRequest('MESSAGE', { to: 'sip:bob@fallback.test' }));
    assert.equal(response.status, 200);
    const [request] = received;
    assert.equal(request!.topVia!.transport, 'UDP');
    const contact = request!.contacts[0]!.uri;
    assert.equal(contact.transport, undefined, `Contact ${contact.toString()}`);
    assert.equal(contact.port, portOf(ua, 'UDP'));
  });
});
