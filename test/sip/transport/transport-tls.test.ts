import { strict as assert } from 'node:assert';
import { connect } from 'node:net';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { SipResponse, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { TransportLayer } from '../../../resource-adaptors/sip/transport/transport-layer.js';
import type { TlsSettings, TransportLayerOptions } from '../../../resource-adaptors/sip/transport/transport-options.js';
import { parse, requestText, waitFor, type Received } from './helpers.js';
import { makeTestCertificate } from '../../helpers/test-certificate.js';

/** The shared throwaway certificate, as TLS settings that also trust it; its files are not needed. */
function selfSigned(): TlsSettings | undefined {
  const made = makeTestCertificate();
  if (made === undefined) return undefined;
  rmSync(made.dir, { recursive: true, force: true });
  return { key: made.key, cert: made.cert, ca: made.cert };
}

const layers: TransportLayer[] = [];
after(async () => {
  await Promise.all(layers.map((l) => l.close()));
});

async function tlsLayer(tls: TlsSettings, options: TransportLayerOptions = {}): Promise<{ layer: TransportLayer; received: Received[]; port: number }> {
  const layer = new TransportLayer(options);
  layers.push(layer);
  const received: Received[] = [];
  layer.setReceiver((message, source) => received.push({ message, source }));
  const lp = await layer.listen({ transport: 'TLS', host: '127.0.0.1', port: 0, tls });
  return { layer, received, port: lp.port };
}

describe('TransportLayer over TLS', () => {
  it('carries a request and its response over a verified TLS connection', async (t) => {
    const tls = selfSigned();
    if (tls === undefined) {
      t.skip('openssl not available');
      return;
    }
    const a = await tlsLayer(tls);
    const b = await tlsLayer(tls);
    const req = parse(Buffer.from(requestText({ branch: 'z9hG4bKtls' }))) as SipRequest;
    const sent = await a.layer.sendRequest(req, { transport: 'TLS', host: '127.0.0.1', port: b.port });
    assert.equal(sent.transport, 'TLS');
    await waitFor(() => b.received.length === 1, 'request over TLS');
    const { message, source } = b.received[0]!;
    assert.equal(source.transport, 'TLS');
    assert.equal((message as SipRequest).topVia!.transport, 'TLS');
    assert.equal((message as SipRequest).topVia!.port, a.port);
    await b.layer.sendResponse(SipResponse.fromRequest(message as SipRequest, 200), source);
    await waitFor(() => a.received.length === 1, 'response over TLS');
    assert.equal((a.received[0]!.message as SipResponse).status, 200);
    assert.equal(a.received[0]!.source.connectionId, sent.connectionId);
  });

  it('refuses a peer whose certificate it cannot verify', async (t) => {
    const serverTls = selfSigned();
    const otherTls = selfSigned();
    if (serverTls === undefined || otherTls === undefined) {
      t.skip('openssl not available');
      return;
    }
    const b = await tlsLayer(serverTls);
    const a = await tlsLayer(otherTls); // trusts only its own certificate
    const req = parse(Buffer.from(requestText({ branch: 'z9hG4bKtlsbad' }))) as SipRequest;
    await assert.rejects(a.layer.sendRequest(req, { transport: 'TLS', host: '127.0.0.1', port: b.port }));
    assert.equal(b.received.length, 0);
  });

  it('closes a connection that does not finish its TLS handshake within the message deadline', async (t) => {
    const tls = selfSigned();
    if (tls === undefined) {
      t.skip('openssl not available');
      return;
    }
    const b = await tlsLayer(tls, { messageTimeoutMs: 200 });
    const raw = connect({ host: '127.0.0.1', port: b.port });
    let closed = false;
    raw.on('error', () => undefined);
    raw.on('close', () => (closed = true));
    t.after(() => raw.destroy());
    await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
    raw.write(Buffer.from([0x16, 0x03, 0x01])); // the first bytes of a ClientHello, and nothing more
    await waitFor(() => closed, 'the stalled handshake closed');
  });

  it('refuses raw connections beyond the per-source limit before any handshake', async (t) => {
    const tls = selfSigned();
    if (tls === undefined) {
      t.skip('openssl not available');
      return;
    }
    const b = await tlsLayer(tls, { maxConnectionsPerSource: 2 });
    const states = [false, false, false];
    for (let i = 0; i < 3; i++) {
      const raw = connect({ host: '127.0.0.1', port: b.port });
      raw.on('error', () => undefined);
      raw.on('close', () => (states[i] = true));
      t.after(() => raw.destroy());
      await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
    }
    await waitFor(() => states[2] === true, 'the third raw connection refused');
    assert.deepEqual(states, [false, false, true]);
    assert.equal(b.layer.counters.connectionsRejected, 1);
  });
});
