import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { sipRaConfig } from '../../../resource-adaptors/sip/ra/sip-ra-config.js';
import { SipResourceAdaptor } from '../../../resource-adaptors/sip/ra/sip-resource-adaptor.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';

describe('SIP RA configuration: TLS and TCP limits', () => {
  it('has the documented defaults for the TCP limits', () => {
    const config = sipRaConfig({});
    assert.equal(config.tcpIdleTimeoutMs, 300_000);
    assert.equal(config.tcpMessageTimeoutMs, 10_000);
    assert.equal(config.tcpMaxConnections, 10_000);
    assert.equal(config.tcpMaxConnectionsPerSource, 100);
  });

  it('refuses tls without a certificate and key, and limits below their minimum', () => {
    assert.throws(
      () => sipRaConfig({ transports: 'udp,tls' }),
      (err: unknown) => SleetError.is(err, ErrorCode.INVALID_COMPONENT) && /tls needs tlsCert and tlsKey/.test(err.message),
    );
    assert.throws(
      () => sipRaConfig({ tcpMaxConnectionsPerSource: 0 }),
      (err: unknown) => SleetError.is(err, ErrorCode.INVALID_COMPONENT) && /tcpMaxConnectionsPerSource/.test(err.message),
    );
    assert.throws(
      () => sipRaConfig({ tcpMessageTimeoutMs: 10 }),
      (err: unknown) => SleetError.is(err, ErrorCode.INVALID_COMPONENT) && /tcpMessageTimeoutMs/.test(err.message),
    );
  });

  it('fails activation naming the certificate file it cannot read', async () => {
    const ra = new SipResourceAdaptor();
    ra.raConfigure({ host: '127.0.0.1', port: 0, transports: 'tls', tlsPort: 0, tlsCert: '/nonexistent/cert.pem', tlsKey: '/nonexistent/key.pem' });
    await assert.rejects(
      ra.raActive(),
      (err: unknown) => SleetError.is(err, ErrorCode.INVALID_COMPONENT) && /tlsCert \/nonexistent\/cert\.pem/.test(err.message),
    );
  });
});

describe('SIP RA configuration: session timers', () => {
  it('has session timers off by default, with Min-SE 90 s', () => {
    const config = sipRaConfig({});
    assert.equal(config.sessionExpires, 0);
    assert.equal(config.sessionMinSE, 90);
  });

  it('refuses a Min-SE below 90 s unless the test-only property allows it', () => {
    assert.throws(
      () => sipRaConfig({ sessionExpires: 1800, sessionMinSE: 30 }),
      (err: unknown) => SleetError.is(err, ErrorCode.INVALID_COMPONENT) && /sessionMinSE/.test(err.message),
    );
    assert.equal(sipRaConfig({ sessionExpires: 4, sessionMinSE: 4, sessionAllowShortMinSE: true }).sessionMinSE, 4);
  });
});
