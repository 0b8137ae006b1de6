import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SessionState } from 'sip.js';
import { startDemoNode } from '../../node/demo-node.js';
import { UdpSipClient } from '../../sbbs/udp-sip-client.js';
import { freePort, runSipp, sippSkipReason } from '../interop/sipp-runner.js';
import { call, registeredSipJsUser, sessionReaches } from './sipjs-ua.js';

/**
 * SIP.js (npm, the library browsers use) in this process over WebSocket,
 * against a demo node (`sleet start --demo --sip-ws-port`), with SIPp on UDP
 * at the other end: RFC 7118 bridged to UDP through the location proxy.
 * SIP.js 0.21 answers the last of several digest challenges, and only MD5
 * ones, so the node challenges with MD5 alone (`--digest-algorithms MD5`).
 */
describe('SIP.js over WebSocket through a demo node', { skip: sippSkipReason() }, () => {
  it('registers alice with digest over WebSocket, calls bob (SIPp on UDP), and hangs up with BYE', async (t) => {
    const wsPort = await freePort();
    const demo = await startDemoNode(t, { sipWsPort: wsPort, digestAlgorithms: 'MD5' });
    const bobPort = await freePort();
    const bob = await UdpSipClient.open(demo.sipPort);
    t.after(() => bob.close());
    assert.equal(
      (await bob.register({ user: 'bob', domain: '127.0.0.1', password: 'bob-secret', algorithm: 'MD5', contacts: [`<sip:bob@127.0.0.1:${bobPort}>`] })).status,
      200,
    );
    const callee = runSipp({ scenario: { file: 'uas-rr.xml' }, port: bobPort, calls: 1 });
    const alice = await registeredSipJsUser({ server: `ws://127.0.0.1:${wsPort}`, user: 'alice', domain: '127.0.0.1', password: 'alice-secret' });
    t.after(() => alice.stop());
    assert.ok(
      alice.trace.some((m) => /SIP\/2\.0 401/.test(m)),
      'the REGISTER was challenged',
    );
    assert.ok(
      alice.trace.some((m) => /^SIP\/2\.0 200 OK[\s\S]*CSeq: \d+ REGISTER/m.test(m)),
      'and accepted with credentials',
    );

    const session = await call(alice, 'sip:bob@127.0.0.1');
    const invite = alice.trace.find((m) => /SIP\/2\.0 200 OK[\s\S]*CSeq: \d+ INVITE/.test(m)) ?? '';
    const recordRoutes = (invite.match(/^Record-Route: (.*)$/gim) ?? []).join(', ');
    // SIP.js puts `;ob` in its Contact (RFC 5626 §5.1): our Record-Route names its flow in the user part.
    const flowToken = '[\\w-]+\\.[\\w-]+@';
    assert.match(
      recordRoutes,
      new RegExp(`<sip:${flowToken}127\\.0\\.0\\.1:\\d+;transport=ws;lr;.*;ob>`),
      `Sleet record-routes on the WebSocket side: ${recordRoutes}`,
    );
    assert.match(recordRoutes, new RegExp(`<sip:${flowToken}127\\.0\\.0\\.1:${demo.sipPort};lr;`), 'and on the UDP side (a double Record-Route)');
    await session.bye();
    await sessionReaches(session, SessionState.Terminated, alice.trace);
    const answered = await callee;
    assert.equal(answered.exitCode, 0, `bob answered, and got the ACK and BYE from the WebSocket through Sleet: ${answered.errors}`);
  });

  it('a SIP.js user registered over WebSocket (carol) receives a call from SIPp on UDP', async (t) => {
    const wsPort = await freePort();
    const demo = await startDemoNode(t, { sipWsPort: wsPort, digestAlgorithms: 'MD5' });
    const carol = await registeredSipJsUser({ server: `ws://127.0.0.1:${wsPort}`, user: 'carol', domain: '127.0.0.1', password: 'carol-secret' });
    t.after(() => carol.stop());
    const caller = await runSipp({
      scenario: { file: 'reg-uac-auth.xml' },
      port: await freePort(),
      remote: `127.0.0.1:${demo.sipPort}`,
      calls: 1,
      service: 'carol',
      keys: { domain: '127.0.0.1' },
    });
    assert.equal(caller.exitCode, 0, `alice (SIPp) called carol over UDP → WebSocket and hung up: ${caller.errors}\n${carol.trace.join('\n')}`);
    assert.equal(carol.invitations.length, 1);
    await sessionReaches(carol.invitations[0]!, SessionState.Terminated, carol.trace);
    const invite = carol.trace.find((m) => /^INVITE sip:/m.test(m)) ?? '';
    assert.match(invite, /^Via: SIP\/2\.0\/WS 127\.0\.0\.1:\d+;/m, 'the INVITE reached carol with a WS Via of the node');
    assert.match(invite, /^INVITE sip:[^@]+@[a-z0-9]+\.invalid;transport=ws SIP\/2\.0/m, 'addressed to the .invalid contact she registered');
  });
});
