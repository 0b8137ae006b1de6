import { strict as assert } from 'node:assert';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseMessage, SipResponse, type SipRequest } from '../../resource-adaptors/sip/message/index.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { SleetNode } from '../../server/node/sleet-node.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { freePort } from '../sip/interop/sipp-runner.js';

const hasIpv6Loopback = Object.values(networkInterfaces()).some((list) => (list ?? []).some((i) => i.family === 'IPv6' && i.address === '::1'));

async function udp6(): Promise<{ socket: Socket; port: number; got: Buffer[] }> {
  const socket = createSocket('udp6');
  const got: Buffer[] = [];
  socket.on('message', (m) => got.push(m));
  await new Promise<void>((r) => socket.bind(0, '::1', () => r()));
  return { socket, port: socket.address().port, got };
}

async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test(
  'a demo node on --sip-host ::1: bob registers over [::1] and a call to him is Record-Routed with the IPv6 reference',
  { skip: hasIpv6Loopback ? false : 'no IPv6 loopback' },
  async (t) => {
    const sipPort = await freePort();
    const config = resolveNodeConfig({
      flags: {
        demo: true,
        sipHost: '::1',
        sipPort,
        dataDir: await mkdtemp(join(tmpdir(), 'sleet-ipv6-')),
        httpPort: 0,
        managementPort: 0,
        trusted: ['::1/128'],
      },
      env: {},
    });
    const node = await SleetNode.start({ config, logger: silentLogger() });
    t.after(() => node.stop());
    assert.equal((await node.profiles.getProfile('subscribers', 'bob'))?.values.address, 'sip:bob@[::1]', 'the demo AOR brackets the IPv6 domain');

    const bob = await udp6();
    const alice = await udp6();
    t.after(() => {
      bob.socket.close();
      alice.socket.close();
    });
    const register =
      `REGISTER sip:[::1] SIP/2.0\r\nVia: SIP/2.0/UDP [::1]:${bob.port};branch=z9hG4bK6reg;rport\r\nMax-Forwards: 70\r\n` +
      `From: <sip:bob@[::1]>;tag=b6\r\nTo: <sip:bob@[::1]>\r\nCall-ID: reg6@[::1]\r\nCSeq: 1 REGISTER\r\n` +
      `Contact: <sip:bob@[::1]:${bob.port}>\r\nExpires: 300\r\nContent-Length: 0\r\n\r\n`;
    bob.socket.send(register, sipPort, '::1');
    await waitFor(() => bob.got.some((m) => !m.toString().startsWith('SIP/2.0 100')), 'REGISTER answer');
    const registered = parseMessage(bob.got.find((m) => !m.toString().startsWith('SIP/2.0 100'))!) as SipResponse;
    assert.equal(registered.status, 200, `REGISTER over [::1]: ${registered.status} ${registered.reason}`);
    bob.got.length = 0;

    const sdp = 'v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';
    const invite =
      `INVITE sip:bob@[::1] SIP/2.0\r\nVia: SIP/2.0/UDP [::1]:${alice.port};branch=z9hG4bK6inv;rport\r\nMax-Forwards: 70\r\n` +
      `From: <sip:alice@[::1]>;tag=a6\r\nTo: <sip:bob@[::1]>\r\nCall-ID: inv6@[::1]\r\nCSeq: 1 INVITE\r\n` +
      `Contact: <sip:alice@[::1]:${alice.port}>\r\nContent-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`;
    alice.socket.send(invite, sipPort, '::1');
    await waitFor(() => bob.got.some((m) => m.toString().startsWith('INVITE ')), 'the INVITE at bob');
    const atBob = parseMessage(bob.got.find((m) => m.toString().startsWith('INVITE '))!) as SipRequest;
    assert.equal(atBob.uri.toString(), `sip:bob@[::1]:${bob.port}`);
    assert.match(atBob.getAll('Record-Route').join(', '), new RegExp(`sip:\\[::1\\]:${sipPort};lr`), 'Record-Route carries the IPv6 reference');
    assert.equal(atBob.topVia!.host, '[::1]');
    assert.equal(atBob.body.toString(), sdp);
    const busy = SipResponse.fromRequest(atBob, 486, undefined, 'b6x');
    bob.socket.send(busy.toBuffer(), sipPort, '::1');
    await waitFor(() => alice.got.some((m) => m.toString().startsWith('SIP/2.0 486')), 'the 486 back at alice');
  },
);
