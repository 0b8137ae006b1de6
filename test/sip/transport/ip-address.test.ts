import { strict as assert } from 'node:assert';
import { isIP, isIPv4 as nodeIsIPv4 } from 'node:net';
import { describe, it } from 'node:test';
import { ipFamily, ipVersion, isIPv4, normaliseAddress } from '../../../resource-adaptors/sip/transport/ip-address.js';

/** A seeded generator, so a failure names a text that comes again. */
function* texts(count: number): Generator<string> {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const alphabet = '0123456789..........:abfAF x١';
  for (let i = 0; i < count; i++) {
    let text = '';
    const length = next() % 18;
    for (let j = 0; j < length; j++) text += alphabet[next() % alphabet.length];
    yield text;
    // Near misses of a well-formed address: one octet changed to a random number, with or without zeros before it.
    const octets = [next() % 256, next() % 256, next() % 256, next() % 256].map(String);
    octets[next() % 4] = `${'0'.repeat(next() % 2)}${next() % 300}`;
    yield octets.join('.');
  }
}

describe('IP address texts', () => {
  it('isIPv4 accepts what node:net does and nothing else', () => {
    const edges = [
      '0.0.0.0',
      '255.255.255.255',
      '256.1.1.1',
      '1.1.1.256',
      '01.1.1.1',
      '1.1.1.00',
      '1.1.1',
      '1.1.1.1.',
      '.1.1.1',
      '1..1.1',
      ' 1.1.1.1',
      '1.1.1.1 ',
      '1.1.1.1.1',
      '1000.1.1.1',
      '::ffff:1.2.3.4',
      '',
      '127.0.0.1',
    ];
    for (const text of [...edges, ...texts(20_000)]) assert.equal(isIPv4(text), nodeIsIPv4(text), JSON.stringify(text));
  });

  it('ipVersion is isIP of node:net, and ipFamily also reads a bracketed IPv6 reference', () => {
    for (const text of ['127.0.0.1', '::1', '2001:db8::1', 'example.com', 'localhost', '1.2.3', '::ffff:10.0.0.1', ...texts(5_000)]) {
      assert.equal(ipVersion(text), isIP(text), JSON.stringify(text));
    }
    assert.equal(ipFamily('[2001:db8::1]'), 6);
    assert.equal(ipFamily('192.0.2.1'), 4);
    assert.equal(ipFamily('sip.example.com'), 0);
  });

  it('normaliseAddress gives one form for the texts of one address', () => {
    assert.equal(normaliseAddress('192.0.2.1'), '192.0.2.1');
    assert.equal(normaliseAddress('::FFFF:192.0.2.1'), '192.0.2.1');
    assert.equal(normaliseAddress('[2001:DB8::1]'), '2001:db8::1');
    assert.equal(normaliseAddress('Proxy.Example.COM'), 'proxy.example.com');
    assert.equal(normaliseAddress('::ffff:1.2.3'), '::ffff:1.2.3');
  });
});
