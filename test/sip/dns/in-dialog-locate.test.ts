import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createSocket, type Socket } from 'node:dgram';
import { SipStack, type Dialog, type SipRequest, type SipResponse } from '../../../resource-adaptors/sip/index.js';
import { parseMessage } from '../../../resource-adaptors/sip/message/index.js';
import { ipFamily } from '../../../resource-adaptors/sip/transport/ip-address.js';
import type { TransportTarget } from '../../../resource-adaptors/sip/transport/transport-types.js';
import { dnsmasqSkipReason, startDnsmasq, type Dnsmasq } from './dnsmasq.js';

const skip = dnsmasqSkipReason();

/** A UDP peer on 127.0.0.1 that records what it gets; INVITE gets a 200 with `contact` (and `recordRoute`), anything else but ACK a 200. */
async function uas(contact: string, recordRoute?: string): Promise<{ socket: Socket; port: number; received: SipRequest[] }> {
  const socket = createSocket('udp4');
  const received: SipRequest[] = [];
  socket.on('message', (bytes, from) => {
    const request = parseMessage(bytes) as SipRequest;
    received.push(request);
    if (request.method === 'ACK') return;
    const head = [
      'SIP/2.0 200 OK',
      ...request.getAll('Via').map((v) => `Via: ${v}`),
      ...(recordRoute !== undefined && request.method === 'INVITE' ? [`Record-Route: ${recordRoute}`] : []),
      `From: ${request.get('From')}`,
      `To: ${request.get('To')}${request.to.tag === undefined ? ';tag=uas' : ''}`,
      `Call-ID: ${request.get('Call-ID')}`,
      `CSeq: ${request.get('CSeq')}`,
      `Contact: ${contact}`,
      'Content-Length: 0',
    ];
    socket.send(`${head.join('\r\n')}\r\n\r\n`, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port, received };
}

/** Waits until `received` holds a `method`, or gives up after `ms`. */
async function arrival(received: SipRequest[], method: string, ms = 2000): Promise<SipRequest | undefined> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 10))) {
    const found = received.find((r) => r.method === method);
    if (found !== undefined) return found;
  }
  return undefined;
}

describe('RFC 3263 for the ACK of a 2xx and in-dialog requests', { skip }, () => {
  let dns: Dnsmasq;
  let direct: Awaited<ReturnType<typeof uas>>;
  let routed: Awaited<ReturnType<typeof uas>>;
  let edge: Awaited<ReturnType<typeof uas>>;
  let ua: SipStack;
  /** Every target the stack handed its transport: only addresses, since a name there would go to the system resolver. */
  const handed: TransportTarget[] = [];

  before(async () => {
    // Contact names with SRV only (no A record): reached on the SRV port, never on 5060.
    direct = await uas('<sip:bob@remote.test>');
    edge = await uas('<sip:bob@127.0.0.1:9>');
    routed = await uas('<sip:bob@127.0.0.1:9>', '<sip:edge.test;lr>');
    dns = await startDnsmasq([
      '--log-queries',
      // Authoritative, so that a missing record is an answer (NODATA) to cache rather than a refusal.
      '--auth-zone=test',
      '--auth-server=ns.test,127.0.0.1',
      `--srv-host=_sip._udp.remote.test,box.remote.test,${direct.port},0,0`,
      '--host-record=box.remote.test,127.0.0.1',
      `--srv-host=_sip._udp.edge.test,box.edge.test,${edge.port},0,0`,
      '--host-record=box.edge.test,127.0.0.1',
    ]);
    ua = new SipStack({ listen: [{ transport: 'UDP', host: '127.0.0.1', port: 0 }], dnsServers: [dns.server] });
    const send = ua.transport.sendRequest.bind(ua.transport);
    ua.transport.sendRequest = (request, target) => {
      handed.push(target);
      if (ipFamily(target.host) === 0) return Promise.reject(new Error(`${target.host} reached the transport unresolved`));
      return send(request, target);
    };
    await ua.start();
  });

  after(async () => {
    await ua.close();
    for (const peer of [direct, routed, edge]) peer.socket.close();
    await dns.stop();
  });

  it('the ACK for a 2xx goes to the SRV target of the remote target (§13.2.2.4), and so does the BYE', async () => {
    const invite = ua.invite(ua.createInvite({ to: `sip:bob@127.0.0.1:${direct.port}` }));
    const [answer, dialog] = (await once(invite, 'success')) as [SipResponse, Dialog];
    assert.equal(answer.status, 200);
    const ack = await arrival(direct.received, 'ACK');
    assert.ok(ack, `no ACK at the SRV target of remote.test; targets handed to the transport: ${JSON.stringify(handed)}`);
    assert.equal(ack.uri.host, 'remote.test', 'the Request-URI stays the remote target');
    const bye = await new Promise<SipResponse>((resolve) => dialog.sendRequest('BYE', { onResponse: (r) => r.status >= 200 && resolve(r) }));
    assert.equal(bye.status, 200);
    assert.ok(direct.received.some((r) => r.method === 'BYE'));
    await new Promise((r) => setTimeout(r, 100)); // dnsmasq logs a little after it answers
    assert.deepEqual(
      dns.queries().filter((q) => q.includes('remote.test')),
      [
        'NAPTR remote.test',
        'SRV _sip._udp.remote.test',
        'A box.remote.test',
        'AAAA box.remote.test',
        'SRV _sip._tcp.remote.test',
        'SRV _sips._tcp.remote.test',
      ],
      'the ACK asked DNS, the BYE found it all cached',
    );
  });

  it('with a Record-Route naming a host, the ACK and BYE go to its SRV target (the route set first hop)', async () => {
    const invite = ua.invite(ua.createInvite({ to: `sip:bob@127.0.0.1:${routed.port}` }));
    const [answer, dialog] = (await once(invite, 'success')) as [SipResponse, Dialog];
    assert.equal(answer.status, 200);
    const ack = await arrival(edge.received, 'ACK');
    assert.ok(ack, `no ACK at the SRV target of edge.test; targets handed to the transport: ${JSON.stringify(handed)}`);
    assert.equal(ack.get('Route'), '<sip:edge.test;lr>');
    const bye = await new Promise<SipResponse>((resolve) => dialog.sendRequest('BYE', { onResponse: (r) => r.status >= 200 && resolve(r) }));
    assert.equal(bye.status, 200);
    assert.deepEqual(
      edge.received.map((r) => r.method),
      ['ACK', 'BYE'],
    );
    assert.deepEqual(
      routed.received.map((r) => r.method),
      ['INVITE'],
    );
  });
});
