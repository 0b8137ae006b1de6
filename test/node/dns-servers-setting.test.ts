import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { defaultEntities } from '../../server/node/resources/default-resources.js';
import { sipRaConfig } from '../../resource-adaptors/sip/ra/sip-ra-config.js';
import { startSipStack } from '../../resource-adaptors/sip/ra/start-sip-stack.js';
import { SipStack, type SipResponse } from '../../resource-adaptors/sip/index.js';
import { dnsmasqSkipReason, startDnsmasq } from '../sip/dns/dnsmasq.js';

describe('sleet start: --dns-servers', () => {
  it('takes the servers from the flag or SLEET_DNS_SERVERS and hands them to the SIP resource adaptor', () => {
    const config = resolveNodeConfig({ flags: { dnsServers: '127.0.0.1:5353, [::1]:53' }, env: {} });
    const sip = defaultEntities(config).find((e) => e.name === 'sip')!;
    assert.equal(sip.config.dnsServers, '127.0.0.1:5353, [::1]:53');
    assert.deepEqual(sipRaConfig(sip.config).dnsServers, ['127.0.0.1:5353', '[::1]:53']);
    assert.equal(resolveNodeConfig({ env: { SLEET_DNS_SERVERS: '10.0.0.1' } }).dnsServers, '10.0.0.1');
    assert.equal(defaultEntities(resolveNodeConfig({ env: {} })).find((e) => e.name === 'sip')!.config.dnsServers, undefined);
  });

  it('refuses what is not an IP[:port], naming the flag', () => {
    assert.throws(
      () => resolveNodeConfig({ flags: { dnsServers: 'dns.example.test' }, env: {} }),
      (err: unknown) => SleetError.is(err, ErrorCode.CONFIG_INVALID) && /--dns-servers/.test(err.message),
    );
    assert.throws(
      () => sipRaConfig({ dnsServers: '127.0.0.1:notaport' }),
      (err: unknown) => SleetError.is(err, ErrorCode.INVALID_COMPONENT),
    );
  });

  it('the SIP resource adaptor stack locates a host name through those servers', { skip: dnsmasqSkipReason() }, async (t) => {
    const bob = new SipStack({ listen: [{ transport: 'UDP', host: '127.0.0.1', port: 0 }] });
    bob.setRequestHandler((_request, tx) => {
      bob.dialogs.answer(tx, 200);
      return true;
    });
    const [point] = await bob.start();
    t.after(() => bob.close());
    const dns = await startDnsmasq([`--srv-host=_sip._udp.bob.test,host.bob.test,${point!.port},1,0`, '--host-record=host.bob.test,127.0.0.1']);
    t.after(() => dns.stop());
    const stack = await startSipStack(sipRaConfig({ host: '127.0.0.1', port: 0, transports: 'udp', dnsServers: dns.server }), {
      admission: undefined,
      onError: () => undefined,
      logMalformed: () => undefined,
    });
    t.after(() => stack.close());
    const response = await new Promise<SipResponse>((resolve) =>
      stack.sendRequest(stack.createRequest('MESSAGE', { to: 'sip:bob@bob.test' }), { onResponse: (r) => r.status >= 200 && resolve(r) }),
    );
    assert.equal(response.status, 200);
  });
});
