import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { hostForVia, ipFamily, normaliseAddress } from '../../../resource-adaptors/sip/transport/ip-address.js';

describe('IP address texts', () => {
  it('ipFamily reads IP literals, a bracketed IPv6 reference included, and nothing else', () => {
    assert.equal(ipFamily('[2001:db8::1]'), 6);
    assert.equal(ipFamily('2001:db8::1'), 6);
    assert.equal(ipFamily('192.0.2.1'), 4);
    assert.equal(ipFamily('01.1.1.1'), 0);
    assert.equal(ipFamily('sip.example.com'), 0);
  });

  it('hostForVia brackets IPv6 literals only', () => {
    assert.equal(hostForVia('2001:db8::1'), '[2001:db8::1]');
    assert.equal(hostForVia('192.0.2.1'), '192.0.2.1');
    assert.equal(hostForVia('sip.example.com'), 'sip.example.com');
  });

  it('normaliseAddress gives one form for the texts of one address', () => {
    assert.equal(normaliseAddress('192.0.2.1'), '192.0.2.1');
    assert.equal(normaliseAddress('::FFFF:192.0.2.1'), '192.0.2.1');
    assert.equal(normaliseAddress('[2001:DB8::1]'), '2001:db8::1');
    assert.equal(normaliseAddress('Proxy.Example.COM'), 'proxy.example.com');
    assert.equal(normaliseAddress('::ffff:1.2.3'), '::ffff:1.2.3');
  });
});
