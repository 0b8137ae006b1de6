import { strict as assert } from 'node:assert';
import { mkdtemp } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Dialog } from '../../resource-adaptors/sip/dialog/index.js';
import type { SipRequest, SipResponse } from '../../resource-adaptors/sip/message/index.js';
import { SipStack } from '../../resource-adaptors/sip/stack/index.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { defaultEntities } from '../../server/node/resources/default-resources.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { SleetNode } from '../../server/node/sleet-node.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { makeTestCertificate, type TestCertificate } from '../helpers/test-certificate.js';
import { freePort } from '../sip/interop/sipp-runner.js';

describe('sleet start: TLS and TCP limit settings', () => {
  it('takes the TLS and TCP limit settings from flags and from their SLEET_* twins', () => {
    const fromFlags = resolveNodeConfig({
      flags: { sipTlsPort: '5071', tlsCert: '/c.pem', tlsKey: '/k.pem', tlsCa: '/ca.pem', sipTcpMessageTimeoutMs: '200', sipTcpMaxConnectionsPerSource: '3' },
      env: {},
    });
    assert.equal(fromFlags.sipTlsPort, 5071);
    assert.equal(fromFlags.tlsCert, '/c.pem');
    assert.equal(fromFlags.tlsKey, '/k.pem');
    assert.equal(fromFlags.tlsCa, '/ca.pem');
    assert.equal(fromFlags.sipTcpMessageTimeoutMs, 200);
    assert.equal(fromFlags.sipTcpMaxConnectionsPerSource, 3);
    const fromEnv = resolveNodeConfig({
      env: {
        SLEET_SIP_TLS_PORT: '5072',
        SLEET_TLS_CERT: '/c2.pem',
        SLEET_TLS_KEY: '/k2.pem',
        SLEET_SIP_TCP_IDLE_TIMEOUT_MS: '60000',
        SLEET_SIP_TCP_MESSAGE_TIMEOUT_MS: '5000',
        SLEET_SIP_TCP_MAX_CONNECTIONS: '500',
        SLEET_SIP_TCP_MAX_CONNECTIONS_PER_SOURCE: '7',
      },
    });
    assert.equal(fromEnv.sipTlsPort, 5072);
    assert.equal(fromEnv.tlsCert, '/c2.pem');
    assert.equal(fromEnv.sipTcpIdleTimeoutMs, 60000);
    assert.equal(fromEnv.sipTcpMessageTimeoutMs, 5000);
    assert.equal(fromEnv.sipTcpMaxConnections, 500);
    assert.equal(fromEnv.sipTcpMaxConnectionsPerSource, 7);
  });

  it('refuses a TLS port without a certificate and key, naming the settings', () => {
    assert.throws(
      () => resolveNodeConfig({ flags: { sipTlsPort: '5061' }, env: {} }),
      (err: unknown) => SleetError.is(err, ErrorCode.CONFIG_INVALID) && /--tls-cert/.test(err.message) && /--tls-key/.test(err.message),
    );
    assert.throws(
      () => resolveNodeConfig({ flags: { sipTcpMaxConnectionsPerSource: '0' }, env: {} }),
      (err: unknown) => SleetError.is(err, ErrorCode.CONFIG_INVALID) && /--sip-tcp-max-connections-per-source/.test(err.message),
    );
  });

  it('hands the settings to the SIP resource adaptor entity', () => {
    const config = resolveNodeConfig({
      flags: { sipTlsPort: '5071', tlsCert: '/c.pem', tlsKey: '/k.pem', sipTcpMessageTimeoutMs: '200', sipTcpMaxConnectionsPerSource: '3' },
      env: {},
    });
    const sip = defaultEntities(config).find((e) => e.name === 'sip')!;
    assert.equal(sip.config.transports, 'udp,tcp,tls');
    assert.equal(sip.config.tlsPort, 5071);
    assert.equal(sip.config.tlsCert, '/c.pem');
    assert.equal(sip.config.tlsKey, '/k.pem');
    assert.equal(sip.config.tcpMessageTimeoutMs, 200);
    assert.equal(sip.config.tcpMaxConnectionsPerSource, 3);
    const plain = defaultEntities(resolveNodeConfig({ env: {} })).find((e) => e.name === 'sip')!;
    assert.equal(plain.config.transports, 'udp,tcp');
  });
});

const cert = makeTestCertificate();
/** Room for a test's TLS user agents from 127.0.0.1 while the node is still closing the previous test's connections. */
const PER_SOURCE = 10;

describe('a node started with --sip-tls-port, --tls-cert and --tls-key', { skip: cert === undefined ? 'openssl not available' : false }, () => {
  let node: SleetNode;
  let sipPort: number;
  let tlsPort: number;
  const stacks: SipStack[] = [];
  const sockets: Socket[] = [];

  before(async () => {
    sipPort = await freePort();
    tlsPort = await freePort();
    const c = cert as TestCertificate;
    const config = resolveNodeConfig({
      flags: {
        dataDir: await mkdtemp(join(tmpdir(), 'sleet-tls-')),
        sipPort,
        sipTlsPort: tlsPort,
        tlsCert: c.certFile,
        tlsKey: c.keyFile,
        tlsCa: c.certFile,
        httpPort: 0,
        managementPort: 0,
        trusted: ['127.0.0.0/8'],
        demo: true,
        sipTcpMessageTimeoutMs: 200,
        sipTcpMaxConnectionsPerSource: PER_SOURCE,
      },
      env: {},
    });
    node = await SleetNode.start({ config, logger: silentLogger() });
  });

  // Each test's user agents go with it: they connect from 127.0.0.1, which --sip-tcp-max-connections-per-source bounds.
  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((s) => s.close()));
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await node?.stop();
  });

  async function tlsUa(): Promise<{ stack: SipStack; port: number }> {
    const c = cert as TestCertificate;
    const stack = new SipStack({ listen: [{ transport: 'TLS', host: '127.0.0.1', port: 0, tls: { key: c.key, cert: c.cert, ca: c.cert } }] });
    stacks.push(stack);
    const [lp] = await stack.start();
    return { stack, port: lp!.port };
  }

  function send(stack: SipStack, request: SipRequest): Promise<SipResponse> {
    return new Promise((resolve) => {
      stack.sendRequest(request, {
        target: { transport: 'TLS', host: '127.0.0.1', port: tlsPort },
        onResponse: (r) => {
          if (r.status >= 200) resolve(r);
        },
      });
    });
  }

  async function register(ua: { stack: SipStack; port: number }, user: string): Promise<SipResponse> {
    const request = ua.stack.createRequest('REGISTER', {
      from: `sip:${user}@127.0.0.1`,
      to: `sip:${user}@127.0.0.1`,
      requestUri: 'sip:127.0.0.1',
      headers: { Contact: `<sip:${user}@127.0.0.1:${ua.port};transport=tls>`, Expires: '300' },
    });
    return send(ua.stack, request);
  }

  it('registers over TLS', async () => {
    const bob = await tlsUa();
    const response = await register(bob, 'bob');
    assert.equal(response.status, 200, `REGISTER over TLS: ${response.status} ${response.reason}`);
  });

  for (const scheme of ['sip', 'sips']) {
    it(`proxies a call to ${scheme}:bob over TLS, Record-Routing with transport=tls, and ends it with BYE`, async () => {
      const bob = await tlsUa();
      assert.equal((await register(bob, 'bob')).status, 200);
      const invites: SipRequest[] = [];
      let byes = 0;
      bob.stack.setRequestHandler((request, tx) => {
        if (request.method !== 'INVITE') return false;
        invites.push(request);
        bob.stack.dialogs.answer(tx, 200, { contact: bob.stack.contact('TLS') });
        bob.stack.dialogs.uasDialog(tx).on('bye', () => byes++);
        return true;
      });
      const alice = await tlsUa();
      const invite = alice.stack.createInvite({ from: 'sip:alice@127.0.0.1', to: `${scheme}:bob@127.0.0.1` });
      // Through the node's TLS listen point (a sips: route means TLS by itself).
      invite.set('Route', scheme === 'sips' ? `<sips:127.0.0.1:${tlsPort};lr>` : `<sip:127.0.0.1:${tlsPort};transport=tls;lr>`);
      const dialog = await new Promise<Dialog>((resolve, reject) => {
        const call = alice.stack.invite(invite);
        call.on('success', (_r, d) => resolve(d));
        call.on('failure', (r) => reject(new Error(`INVITE failed: ${r.status} ${r.reason}`)));
      });
      assert.equal(invites.length, 1);
      const recordRoutes = invites[0]!.getAll('Record-Route').join(', ');
      assert.match(recordRoutes, new RegExp(`127\\.0\\.0\\.1:${tlsPort};transport=tls`), `Record-Route names the node's TLS listen point: ${recordRoutes}`);
      assert.equal(invites[0]!.topVia!.transport, 'TLS');
      const bye = await new Promise<SipResponse>((resolve) => {
        dialog.sendRequest('BYE', {
          onResponse: (r: SipResponse) => {
            if (r.status >= 200) resolve(r);
          },
        });
      });
      assert.equal(bye.status, 200);
      assert.equal(byes, 1, 'bob got the BYE through the node');
    });
  }

  it('does not forward a sips: request to a contact reached without TLS', async () => {
    const carol = await tlsUa();
    const request = carol.stack.createRequest('REGISTER', {
      from: 'sip:carol@127.0.0.1',
      to: 'sip:carol@127.0.0.1',
      requestUri: 'sip:127.0.0.1',
      headers: { Contact: `<sip:carol@127.0.0.1:${await freePort()}>`, Expires: '300' },
    });
    assert.equal((await send(carol.stack, request)).status, 200);
    const alice = await tlsUa();
    const invite = alice.stack.createInvite({ from: 'sip:alice@127.0.0.1', to: 'sips:carol@127.0.0.1' });
    invite.set('Route', `<sips:127.0.0.1:${tlsPort};lr>`);
    const refused = await new Promise<SipResponse>((resolve) => {
      const call = alice.stack.invite(invite);
      call.on('success', (r) => resolve(r));
      call.on('failure', (r) => resolve(r));
    });
    assert.equal(refused.status, 480, `sips: to a UDP-only contact: ${refused.status} ${refused.reason}`);
  });

  // From their own source addresses, so that the TLS tests' connections from 127.0.0.1 cannot interfere.
  it('applies --sip-tcp-max-connections-per-source to TCP', async () => {
    const states: boolean[] = [];
    for (let i = 0; i <= PER_SOURCE; i++) {
      const socket = connect({ host: '127.0.0.1', port: sipPort, localAddress: '127.0.0.3' });
      sockets.push(socket);
      states.push(false);
      socket.on('error', () => undefined);
      socket.on('close', () => (states[i] = true));
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    }
    await waitFor(() => states[PER_SOURCE] === true, 'the connection over the limit from 127.0.0.3 refused');
    assert.deepEqual(states, [...Array<boolean>(PER_SOURCE).fill(false), true]);
  });

  it('applies --sip-tcp-message-timeout-ms to a connection that trickles a message', async () => {
    const socket = connect({ host: '127.0.0.1', port: sipPort, localAddress: '127.0.0.4' });
    sockets.push(socket);
    let closed = false;
    socket.on('error', () => undefined);
    socket.on('close', () => (closed = true));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const slow = 'OPTIONS sip:127.0.0.1 SIP/2.0\r\n';
    for (let i = 0; i < slow.length && !closed; i++) {
      socket.write(slow[i]!);
      await new Promise((r) => setTimeout(r, 100));
    }
    await waitFor(() => closed, 'the trickling connection closed');
  });
});

async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
