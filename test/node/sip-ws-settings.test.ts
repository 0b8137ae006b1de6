import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { defaultEntities } from '../../server/node/resources/default-resources.js';
import { makeTestCertificate } from '../helpers/test-certificate.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { startDemoNode } from './demo-node.js';

describe('sleet start: --sip-ws-port and --sip-wss-port', () => {
  it('takes the WebSocket ports from flags and SLEET_* twins and hands them to the SIP resource adaptor', () => {
    const config = resolveNodeConfig({ flags: { sipWsPort: '5066', sipWssPort: '7443', tlsCert: '/c.pem', tlsKey: '/k.pem' }, env: {} });
    const sip = defaultEntities(config).find((e) => e.name === 'sip')!;
    assert.equal(sip.config.transports, 'udp,tcp,ws,wss');
    assert.equal(sip.config.wsPort, 5066);
    assert.equal(sip.config.wssPort, 7443);
    assert.equal(sip.config.tlsCert, '/c.pem');
    assert.equal(resolveNodeConfig({ env: { SLEET_SIP_WS_PORT: '5067' } }).sipWsPort, 5067);
  });

  it('refuses a WSS port without a certificate and key, naming the settings', () => {
    assert.throws(
      () => resolveNodeConfig({ flags: { sipWssPort: '7443' }, env: {} }),
      (err: unknown) => SleetError.is(err, ErrorCode.CONFIG_INVALID) && /--sip-wss-port/.test(err.message) && /--tls-cert/.test(err.message),
    );
  });

  it('a node with --sip-wss-port answers OPTIONS over secure WebSocket with the TLS certificate', async (t) => {
    const cert = makeTestCertificate();
    if (cert === undefined) {
      if (process.env['CI'] === 'true') throw new Error('openssl is required under CI=true');
      t.skip('openssl not installed');
      return;
    }
    const wssPort = await freePort();
    await startDemoNode(t, { sipWssPort: wssPort, tlsCert: cert.certFile, tlsKey: cert.keyFile });
    const socket = new WebSocket(`wss://127.0.0.1:${wssPort}`, 'sip', { ca: cert.cert });
    t.after(() => socket.terminate());
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const answer = new Promise<string>((resolve) => socket.once('message', (data: Buffer) => resolve(data.toString())));
    socket.send(
      [
        'OPTIONS sip:127.0.0.1 SIP/2.0',
        'Via: SIP/2.0/WSS h7k2.invalid;branch=z9hG4bKwss1',
        'From: <sip:probe@127.0.0.1>;tag=w1',
        'To: <sip:127.0.0.1>',
        'Call-ID: wss-options-1',
        'CSeq: 1 OPTIONS',
        'Max-Forwards: 70',
        '',
        '',
      ].join('\r\n'),
    );
    assert.match(await answer, /^SIP\/2\.0 200 OK\r\nVia: SIP\/2\.0\/WSS h7k2\.invalid;branch=z9hG4bKwss1;received=127\.0\.0\.1/);
  });
});
