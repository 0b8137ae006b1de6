import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { freePort, runSipp, sippSkipReason } from '../sip/interop/sipp-runner.js';
import { UdpSipClient } from '../sbbs/udp-sip-client.js';
import { silentLogger } from '../helpers/silent-logger.js';

test(
  'the demo domain (npm start): examples deployed as bundles, alice calls bob through every service, bob blocks alice',
  { skip: sippSkipReason() },
  async (t) => {
    const sipPort = await freePort();
    const config = resolveNodeConfig({
      flags: { demo: true, dataDir: await mkdtemp(join(tmpdir(), 'sleet-demo-')), sipPort, httpPort: 0, managementPort: 0, trusted: ['127.0.0.0/8'] },
      env: {},
    });
    const node = await SleetNode.start({ config, logger: silentLogger() });
    t.after(() => node.stop());
    assert.equal(config.domain[0], '127.0.0.1');

    const services = new Map(node.slee.listServices().map((s) => [s.id.name, s.state]));
    for (const name of ['DigestAuth', 'Registrar', 'LocationProxy', 'CallScreening', 'CallForwarding', 'ClickToDial', 'PresenceAgent']) {
      assert.equal(services.get(name), 'ACTIVE', `${name} is active`);
    }
    assert.deepEqual(
      node.deployment
        .listUnits()
        .map((u) => u.name)
        .sort(),
      ['call-forwarding', 'call-screening', 'click-to-dial', 'presence', 'wake-up-call'],
    );
    assert.equal((await node.profiles.getProfile('subscribers', 'bob'))?.values.address, 'sip:bob@127.0.0.1');

    const bobPort = await freePort();
    const bob = await UdpSipClient.open(sipPort);
    t.after(() => bob.close());
    const registered = await bob.register({ user: 'bob', domain: '127.0.0.1', contacts: [`<sip:bob@127.0.0.1:${bobPort}>`] });
    assert.equal(registered.status, 200);

    const callee = runSipp({ scenario: { file: 'uas-rr.xml' }, port: bobPort, calls: 1 });
    await new Promise((r) => setTimeout(r, 300));
    const call = await runSipp({ scenario: { file: 'uac-rr.xml' }, port: await freePort(), remote: `127.0.0.1:${sipPort}`, calls: 1, service: 'bob' });
    assert.equal(call.exitCode, 0, call.errors);
    const answered = await callee;
    assert.equal(answered.exitCode, 0, `bob answered, and got the ACK and BYE through Sleet: ${answered.errors}`);

    await node.profiles.createProfile('blocklist', 'bob-alice', { subscriber: 'sip:bob@127.0.0.1', pattern: 'sip:alice@127.0.0.1' });
    const blocked = await runSipp({
      scenario: { file: 'scr-uac-declined.xml' },
      port: await freePort(),
      remote: `127.0.0.1:${sipPort}`,
      calls: 1,
      service: 'bob',
      keys: { from: '<sip:alice@127.0.0.1>', domain: '127.0.0.1' },
    });
    assert.equal(blocked.exitCode, 0, `alice got 603 Decline: ${blocked.errors}`);
  },
);
