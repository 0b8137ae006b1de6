import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SipUri } from '../../../resource-adaptors/sip/message/index.js';
import { DnsCache } from '../../../resource-adaptors/sip/transport/locate/dns-cache.js';
import { ServerLocator } from '../../../resource-adaptors/sip/transport/locate/server-locator.js';
import { dnsmasqSkipReason, startDnsmasq, type Dnsmasq } from './dnsmasq.js';

const skip = dnsmasqSkipReason();

// Authoritative for "test", so a missing record is NXDOMAIN/NODATA with an SOA (RFC 2308), every record with a TTL of 60 s.
const ZONE = [
  '--log-queries',
  '--auth-zone=test',
  '--auth-server=ns.test,127.0.0.1',
  '--auth-ttl=60',
  '--auth-soa=1,hostmaster.test,60,60,60',
  '--naptr-record=cached.test,10,10,S,SIP+D2U,,_sip._udp.cached.test',
  '--srv-host=_sip._udp.cached.test,box.cached.test,5070,0,0',
  '--host-record=box.cached.test,127.0.3.1,::1',
  '--host-record=plain.test,127.0.3.2',
];

describe('RFC 3263 answers cached for their TTL', { skip }, () => {
  let dns: Dnsmasq;
  let now = 0;
  let locator: ServerLocator;
  /** Queries dnsmasq logged about `domain` since the last call (its log lags the answer a little). */
  let seen = 0;
  async function asked(domain: string): Promise<string[]> {
    await new Promise((r) => setTimeout(r, 100));
    const all = dns.queries();
    const fresh = all.slice(seen).filter((q) => q.endsWith(domain));
    seen = all.length;
    return fresh;
  }

  before(async () => {
    dns = await startDnsmasq(ZONE);
    locator = new ServerLocator({ servers: [dns.server], now: () => now });
  });
  after(() => dns.stop());

  it('asks NAPTR, SRV and A once; a second lookup within the TTL asks nothing and finds the same', async () => {
    const uri = SipUri.parse('sip:bob@cached.test');
    const first = await locator.locate(uri);
    assert.deepEqual(first, [
      { transport: 'UDP', host: '127.0.3.1', port: 5070 },
      { transport: 'UDP', host: '::1', port: 5070 },
    ]);
    assert.deepEqual(await asked('cached.test'), ['NAPTR cached.test', 'SRV _sip._udp.cached.test', 'A box.cached.test', 'AAAA box.cached.test']);
    now += 59_000;
    assert.deepEqual(await locator.locate(uri), first);
    assert.deepEqual(await asked('cached.test'), []);
  });

  it('past the TTL, asks again', async () => {
    now += 2_000;
    await locator.locate(SipUri.parse('sip:bob@cached.test'));
    assert.deepEqual(await asked('cached.test'), ['NAPTR cached.test', 'SRV _sip._udp.cached.test', 'A box.cached.test', 'AAAA box.cached.test']);
  });

  it('keeps "no such record" only briefly (5 s), an address for its TTL', async () => {
    const uri = SipUri.parse('sip:bob@plain.test');
    const negatives = ['NAPTR plain.test', 'SRV _sip._udp.plain.test', 'SRV _sip._tcp.plain.test', 'SRV _sips._tcp.plain.test'];
    assert.deepEqual(await locator.locate(uri), [{ transport: 'UDP', host: '127.0.3.2', port: 5060 }]);
    assert.deepEqual(await asked('plain.test'), [...negatives, 'A plain.test', 'AAAA plain.test']);
    now += 4_000;
    await locator.locate(uri);
    assert.deepEqual(await asked('plain.test'), []);
    now += 2_000;
    assert.deepEqual(await locator.locate(uri), [{ transport: 'UDP', host: '127.0.3.2', port: 5060 }]);
    assert.deepEqual(await asked('plain.test'), [...negatives, 'AAAA plain.test'], 'the A record (60 s) is still kept');
  });

  it('keeps at most cacheEntries answers', async () => {
    const small = new ServerLocator({ servers: [dns.server], now: () => now, cacheEntries: 2 });
    await small.locate(SipUri.parse('sip:bob@plain.test:5999')); // A and AAAA (none): full
    await small.locate(SipUri.parse('sip:bob@box.cached.test:5999')); // two more push them out
    await asked('test');
    await small.locate(SipUri.parse('sip:bob@plain.test:5999'));
    assert.deepEqual(await asked('test'), ['A plain.test', 'AAAA plain.test']);
  });

  it('with cacheEntries 0 keeps nothing', async () => {
    const none = new ServerLocator({ servers: [dns.server], now: () => now, cacheEntries: 0 });
    await none.locate(SipUri.parse('sip:bob@cached.test'));
    await asked('test');
    await none.locate(SipUri.parse('sip:bob@cached.test'));
    assert.equal((await asked('cached.test')).length, 4);
  });
});

describe('DnsCache', () => {
  it('drops the least recently used entry when full, and expired ones on reading', () => {
    let now = 0;
    const cache = new DnsCache(() => now, 2);
    cache.set('A', 'a', ['1'], 10);
    cache.set('A', 'b', ['2'], 10);
    assert.deepEqual(cache.get('A', 'A'), ['1'], 'names compare case-insensitively; reading makes a the most recent');
    cache.set('A', 'c', ['3'], 10);
    assert.equal(cache.get('A', 'b'), undefined);
    assert.deepEqual(cache.get('A', 'a'), ['1']);
    cache.set('SRV', 'c', [], 0);
    assert.equal(cache.get('SRV', 'c'), undefined, 'a TTL of 0 is not kept');
    now = 10_000;
    assert.equal(cache.get('A', 'c'), undefined);
  });
});
