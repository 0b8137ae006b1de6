import { strict as assert } from 'node:assert';
import { networkInterfaces } from 'node:os';
import { after, describe, it } from 'node:test';
import { parseMessage, type SipRequest, type SipResponse } from '../../../resource-adaptors/sip/message/index.js';
import { SipStack } from '../../../resource-adaptors/sip/stack/index.js';
import { closePeers, udpPeer, waitFor } from './helpers.js';

const hasIpv6Loopback = Object.values(networkInterfaces()).some((list) => (list ?? []).some((i) => i.family === 'IPv6' && i.address === '::1'));

const stacks: SipStack[] = [];
after(async () => {
  closePeers();
  await Promise.all(stacks.map((s) => s.close()));
});

async function stackOn6(): Promise<{ stack: SipStack; port: number }> {
  const stack = new SipStack({ listen: [{ transport: 'UDP', host: '::1', port: 0 }] });
  stacks.push(stack);
  const [lp] = await stack.start();
  return { stack, port: lp!.port };
}

const SDP = 'v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';

describe('SIP over UDP on [::1]', { skip: hasIpv6Loopback ? false : 'no IPv6 loopback on this machine' }, () => {
  it('answers OPTIONS to an IPv6 Request-URI, with Via received/rport naming the IPv6 source', async () => {
    const node = await stackOn6();
    const peer = await udpPeer('udp6');
    const text =
      `OPTIONS sip:[::1]:${node.port} SIP/2.0\r\nVia: SIP/2.0/UDP [::1]:${peer.port};branch=z9hG4bK6opt;rport\r\nMax-Forwards: 70\r\n` +
      `From: <sip:alice@[::1]>;tag=6a\r\nTo: <sip:[::1]:${node.port}>\r\nCall-ID: opt6@[::1]\r\nCSeq: 1 OPTIONS\r\n` +
      `Contact: <sip:alice@[::1]:${peer.port}>\r\nContent-Length: 0\r\n\r\n`;
    peer.socket.send(text, node.port, '::1');
    await waitFor(() => peer.got.length === 1, 'OPTIONS answer over [::1]');
    const response = parseMessage(peer.got[0]!) as SipResponse;
    assert.equal(response.status, 200);
    assert.equal(response.topVia!.host, '[::1]');
    assert.equal(response.topVia!.rport, peer.port);
  });

  it('answers a malformed IPv6 reference with 400 and keeps serving', async () => {
    const node = await stackOn6();
    const peer = await udpPeer('udp6');
    const bad =
      `OPTIONS sip:[2001:db8:::1] SIP/2.0\r\nVia: SIP/2.0/UDP [::1]:${peer.port};branch=z9hG4bK6bad;rport\r\nMax-Forwards: 70\r\n` +
      `From: <sip:alice@[::1]>;tag=6b\r\nTo: <sip:bob@[::1]>\r\nCall-ID: bad6@[::1]\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;
    peer.socket.send(bad, node.port, '::1');
    await waitFor(() => peer.got.length === 1, 'the 400');
    assert.equal((parseMessage(peer.got[0]!) as SipResponse).status, 400);
    peer.socket.send(bad.replace('[2001:db8:::1]', `[::1]:${node.port}`).replace('z9hG4bK6bad', 'z9hG4bK6good'), node.port, '::1');
    await waitFor(() => peer.got.length === 2, 'the node still answers');
    assert.equal((parseMessage(peer.got[1]!) as SipResponse).status, 200);
  });

  it('proxies an INVITE between IPv6 user agents, Record-Routing with its IPv6 reference and carrying IPv6 SDP', async () => {
    const proxy = await stackOn6();
    const bob = await stackOn6();
    const alice = await stackOn6();
    const invites: SipRequest[] = [];
    bob.stack.setRequestHandler((request, tx) => {
      if (request.method !== 'INVITE') return false;
      invites.push(request);
      bob.stack.dialogs.answer(tx, 200, { contact: bob.stack.contact('UDP'), body: SDP, contentType: 'application/sdp' });
      return true;
    });
    // The proxy plays location service: bob@[::1] at the proxy is bob's contact.
    proxy.stack.setRequestHandler((_request, tx) => {
      proxy.stack.proxy.proxyTo(tx, [{ uri: `sip:bob@[::1]:${bob.port}` }], { recordRoute: true });
      return true;
    });
    const invite = alice.stack.createInvite({ from: 'sip:alice@[::1]', to: `sip:bob@[::1]:${proxy.port}`, body: SDP, contentType: 'application/sdp' });
    const response = await new Promise<SipResponse>((resolve, reject) => {
      const call = alice.stack.invite(invite);
      call.on('success', (r) => resolve(r));
      call.on('failure', (r) => reject(new Error(`INVITE failed: ${r.status} ${r.reason}`)));
    });
    assert.equal(response.status, 200);
    const got = invites[0]!;
    assert.match(got.getAll('Record-Route').join(', '), new RegExp(`<sip:\\[::1\\]:${proxy.port};lr[;>]`), 'Record-Route carries the IPv6 reference and port');
    assert.deepEqual(
      got.vias.map((v) => `${v.host}:${v.port}`),
      [`[::1]:${proxy.port}`, `[::1]:${alice.port}`],
    );
    assert.equal(got.body.toString(), SDP);
    assert.match(response.getAll('Record-Route').join(', '), /\[::1\]/, 'the 200 carries the route set back');
    assert.equal(got.contacts[0]!.uri.host, '[::1]');
  });
});
