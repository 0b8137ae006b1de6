import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SessionState } from 'sip.js';
import { startDemoNode } from '../../node/demo-node.js';
import { freePort, runSipp, sippSkipReason } from '../interop/sipp-runner.js';
import { registeredSipJsUser, sessionReaches } from './sipjs-ua.js';

/**
 * SIP.js as an RFC 5626 outbound client over WebSocket against a demo node
 * (edge proxy and registrar in one): its registration is a flow, and a call
 * from SIPp on UDP reaches it over that flow, record-routed with the flow
 * token so that the BYE comes back the same way.
 */
describe('SIP.js outbound registration over WebSocket', { skip: sippSkipReason() }, () => {
  it('registers as a flow (Require: outbound, Flow-Timer) and receives a call over it from SIPp on UDP', async (t) => {
    const wsPort = await freePort();
    const demo = await startDemoNode(t, { sipWsPort: wsPort, digestAlgorithms: 'MD5' });
    const carol = await registeredSipJsUser({
      server: `ws://127.0.0.1:${wsPort}`,
      user: 'carol',
      domain: '127.0.0.1',
      password: 'carol-secret',
      instanceId: '5b8a9c1e-3a9f-4d2e-9a51-0c0ffee00001',
    });
    t.after(() => carol.stop());
    const registered = carol.trace.find((m) => /SIP\/2\.0 200 OK[\s\S]*CSeq: \d+ REGISTER/.test(m)) ?? '';
    assert.match(registered, /^Require: outbound\r?$/m, `the registrar kept the registration as a flow:\n${registered}`);
    assert.match(registered, /^Flow-Timer: \d+\r?$/m);
    assert.match(registered, /reg-id=1/);
    const caller = await runSipp({
      scenario: { file: 'reg-uac-auth.xml' },
      port: await freePort(),
      remote: `127.0.0.1:${demo.sipPort}`,
      calls: 1,
      service: 'carol',
      keys: { domain: '127.0.0.1' },
    });
    assert.equal(caller.exitCode, 0, `alice (SIPp) called carol over UDP → her WebSocket flow and hung up: ${caller.errors}\n${carol.trace.join('\n')}`);
    assert.equal(carol.invitations.length, 1);
    await sessionReaches(carol.invitations[0]!, SessionState.Terminated, carol.trace);
    const invite = carol.trace.find((m) => /^INVITE sip:/m.test(m)) ?? '';
    assert.match(invite, /^Record-Route: .*<sip:[\w-]+\.[\w-]+@127\.0\.0\.1:\d+;transport=ws;lr;.*;ob>/m, `the Record-Route names her flow:\n${invite}`);
  });
});
