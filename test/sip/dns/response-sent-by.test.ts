import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { buildResponse, SipStack, type ServerTransaction } from '../../../resource-adaptors/sip/index.js';
import type { TransportLayer } from '../../../resource-adaptors/sip/transport/transport-layer.js';
import { ServerLocator } from '../../../resource-adaptors/sip/transport/locate/server-locator.js';
import { freePort } from '../interop/sipp-runner.js';
import { dnsmasqSkipReason, startDnsmasq, type Dnsmasq } from './dnsmasq.js';

const skip = dnsmasqSkipReason();

/** A TCP listener on `host` that collects what arrives. */
async function collector(host: string, port: number): Promise<{ server: Server; text: () => string }> {
  let text = '';
  const server = createServer((socket: Socket) => socket.on('data', (chunk: Buffer) => (text += chunk.toString())));
  server.listen(port, host);
  await once(server, 'listening');
  return { server, text: () => text };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(condition(), what);
}

describe('RFC 3263 §5: a response whose connection has closed goes where the Via sent-by leads', { skip }, () => {
  let dns: Dnsmasq;
  let sentByPort: number;
  let srvPort: number;

  before(async () => {
    sentByPort = await freePort();
    srvPort = await freePort();
    dns = await startDnsmasq([
      '--auth-zone=test',
      '--auth-server=ns.test,127.0.0.1',
      '--host-record=client.test,127.0.0.2',
      `--srv-host=_sip._tcp.srvclient.test,box.srvclient.test,${srvPort},0,0`,
      `--srv-host=_sips._tcp.srvclient.test,tls.srvclient.test,${srvPort + 1},0,0`,
      `--srv-host=_sip._udp.srvclient.test,udp.srvclient.test,${srvPort + 2},0,0`,
      '--host-record=box.srvclient.test,127.0.0.3',
      '--host-record=tls.srvclient.test,127.0.0.4',
      '--host-record=udp.srvclient.test,127.0.0.5',
    ]);
  });
  after(() => dns.stop());

  it('a sent-by with a port is looked up by address, without one by SRV for the Via transport', async () => {
    const locator = new ServerLocator({ servers: [dns.server] });
    assert.deepEqual(await locator.locateSentBy('TCP', 'client.test', 5099), [{ transport: 'TCP', host: '127.0.0.2', port: 5099 }]);
    assert.deepEqual(await locator.locateSentBy('TCP', 'srvclient.test', undefined), [{ transport: 'TCP', host: '127.0.0.3', port: srvPort }]);
    assert.deepEqual(await locator.locateSentBy('TLS', 'srvclient.test', undefined), [{ transport: 'TLS', host: '127.0.0.4', port: srvPort + 1 }]);
    assert.deepEqual(await locator.locateSentBy('UDP', 'srvclient.test', undefined), [{ transport: 'UDP', host: '127.0.0.5', port: srvPort + 2 }]);
    assert.deepEqual(await locator.locateSentBy('TCP', '127.0.0.7', undefined), [{ transport: 'TCP', host: '127.0.0.7', port: 5060 }]);
    // No SRV: the name's address on the transport's default port.
    assert.deepEqual(await locator.locateSentBy('TCP', 'client.test', undefined), [{ transport: 'TCP', host: '127.0.0.2', port: 5060 }]);
  });

  it('after the client hangs up and nothing listens at received:port, the 200 reaches the sent-by name’s address', async () => {
    const far = await collector('127.0.0.2', sentByPort);
    const pending: ServerTransaction[] = [];
    const uas = new SipStack({ listen: [{ transport: 'TCP', host: '127.0.0.1', port: 0 }], dnsServers: [dns.server] });
    uas.setRequestHandler((_request, tx) => {
      pending.push(tx);
      return true;
    });
    try {
      await uas.start();
      const port = uas.listenPoints[0]!.port;
      const client = connect(port, '127.0.0.1');
      await once(client, 'connect');
      const branch = `z9hG4bK-sentby-${Date.now()}`;
      client.write(
        [
          'MESSAGE sip:uas@127.0.0.1 SIP/2.0',
          `Via: SIP/2.0/TCP client.test:${sentByPort};branch=${branch}`,
          'Max-Forwards: 70',
          'From: <sip:client@client.test>;tag=1',
          'To: <sip:uas@127.0.0.1>',
          `Call-ID: sentby-${branch}`,
          'CSeq: 1 MESSAGE',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
      await until(() => pending.length === 1, 'the MESSAGE reached the UAS');
      client.end();
      await once(client, 'close');
      await until(() => (uas.transport as TransportLayer).openConnections === 0, 'the UAS saw the connection close');
      pending[0]!.respond(buildResponse(pending[0]!.request, 200, { toTag: 'uas' }));
      await until(() => far.text().startsWith('SIP/2.0 200'), `the 200 reached 127.0.0.2:${sentByPort}; got "${far.text()}"`);
      assert.match(far.text(), new RegExp(`branch=${branch}`));
    } finally {
      await uas.close();
      far.server.close();
    }
  });
});
