import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { freePort, runSipp, sippSkipReason } from '../sip/interop/sipp-runner.js';
import { UdpSipClient } from '../sbbs/udp-sip-client.js';
import { capturedLogger } from '../helpers/captured-logger.js';

test(
  'the demo node logs one line per call outcome, per registration and per failed authentication, and never a demo password',
  { skip: sippSkipReason() },
  async (t) => {
    const sipPort = await freePort();
    const config = resolveNodeConfig({
      flags: { demo: true, dataDir: await mkdtemp(join(tmpdir(), 'sleet-call-logs-')), sipPort, httpPort: 0, managementPort: 0 },
      env: {},
    });
    const log = capturedLogger();
    const node = await SleetNode.start({ config, logger: log.logger });
    t.after(() => node.stop());
    // FINE on ra:sip as well: the message lines must not leak passwords either.
    await node.management.traces.set('ra:sip', '', 'FINE');

    const bobPort = await freePort();
    const bob = await UdpSipClient.open(sipPort);
    t.after(() => bob.close());
    const contact = `<sip:bob@127.0.0.1:${bobPort}>`;
    assert.equal((await bob.register({ user: 'bob', domain: '127.0.0.1', contacts: [contact], password: 'bob-secret', algorithm: 'MD5' })).status, 200);
    const mallory = await UdpSipClient.open(sipPort);
    t.after(() => mallory.close());
    assert.equal(
      (await mallory.register({ user: 'carol', domain: '127.0.0.1', contacts: ['<sip:carol@127.0.0.1:5999>'], password: 'not-her-password', algorithm: 'MD5' }))
        .status,
      401,
    );

    const callee = runSipp({ scenario: { file: 'uas-rr.xml' }, port: bobPort, calls: 1 });
    await new Promise((r) => setTimeout(r, 300));
    const call = await runSipp({
      scenario: { file: 'reg-uac-auth.xml' },
      port: await freePort(),
      remote: `127.0.0.1:${sipPort}`,
      calls: 1,
      service: 'bob',
      keys: { domain: '127.0.0.1' },
    });
    assert.equal(call.exitCode, 0, call.errors);
    assert.equal((await callee).exitCode, 0);
    await new Promise((r) => setTimeout(r, 200));

    const lines = log.lines();
    const registrations = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('registration '));
    assert.equal(registrations.length, 1, 'the challenge is no registration, the refused retry of carol is not answered with a final other than 401');
    assert.equal(registrations[0]!.level, 30);
    assert.equal(registrations[0]!.aor, 'sip:bob@127.0.0.1');
    assert.equal(registrations[0]!.status, 200);
    assert.match(String(registrations[0]!.msg), /^registration sip:bob@127\.0\.0\.1 sip:bob@127\.0\.0\.1:\d+ for \d+ s: 200 registered$/);

    const failures = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('failed digest authentication'));
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.level, 40, 'a warning');
    assert.match(String(failures[0]!.msg), /^failed digest authentication of 'carol' from 127\.0\.0\.1:\d+ on REGISTER \S+: wrong credentials$/);

    const calls = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('call '));
    assert.equal(calls.length, 1, 'one line for the call, its 407 challenge included');
    const line = calls[0]!;
    assert.equal(line.level, 30);
    assert.equal(line.caller, 'sip:alice@127.0.0.1');
    assert.equal(line.callee, 'sip:bob@127.0.0.1');
    assert.equal(line.status, 200);
    assert.equal(line.endReason, 'caller-hangup');
    assert.equal(line.service, 'LocationProxy:sleet:1.0');
    assert.match(String(line.target), new RegExp(`^sip:bob@127\\.0\\.0\\.1:${bobPort}`));
    assert.equal(typeof line.callId, 'string');
    assert.match(
      String(line.msg),
      /^call sip:alice@127\.0\.0\.1 -> sip:bob@127\.0\.0\.1 \(at sip:bob@127\.0\.0\.1:\d+\): 200 caller-hangup by LocationProxy:sleet:1\.0, \d+\.\d s$/,
    );
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT/, 'ISO-8601 times in JSON');

    const text = log.text();
    assert.match(text, /<- UDP 127\.0\.0\.1:\d+ INVITE sip:bob@127\.0\.0\.1 SIP\/2\.0 \| Call-ID: /, 'FINE shows the messages');
    // The demo passwords, as the README gives them.
    for (const password of ['alice-secret', 'bob-secret', 'carol-secret']) assert.ok(!text.includes(password), `${password} is not in the log`);
    assert.ok(!text.includes('not-her-password'));
  },
);

test('FINE on ra:sip logs each message start line and key headers; INFO (the default) logs none', async (t) => {
  const sipPort = await freePort();
  const config = resolveNodeConfig({ flags: { dataDir: await mkdtemp(join(tmpdir(), 'sleet-fine-')), sipPort, httpPort: 0, managementPort: 0 }, env: {} });
  const log = capturedLogger();
  const node = await SleetNode.start({ config, logger: log.logger });
  t.after(() => node.stop());
  const client = await UdpSipClient.open(sipPort);
  t.after(() => client.close());
  const options = (callId: string) =>
    [
      `OPTIONS sip:127.0.0.1:${sipPort} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${client.port};branch=z9hG4bK${callId};rport`,
      `From: <sip:probe@127.0.0.1>;tag=t${callId}`,
      `To: <sip:127.0.0.1:${sipPort}>`,
      `Call-ID: ${callId}`,
      'CSeq: 1 OPTIONS',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  assert.equal((await client.send(options('quiet1'))).status, 200);
  assert.ok(!log.text().includes('quiet1'), 'nothing at INFO');
  await node.management.traces.set('ra:sip', '', 'FINE');
  assert.equal((await client.send(options('loud1'))).status, 200);
  const lines = log.lines().filter((l) => String(l.msg).includes('loud1'));
  assert.equal(lines.length, 2, 'the request and its response');
  assert.match(
    String(lines[0]!.msg),
    new RegExp(
      `^<- UDP 127\\.0\\.0\\.1:${client.port} OPTIONS sip:127\\.0\\.0\\.1:${sipPort} SIP/2\\.0 \\| Call-ID: loud1 \\| From: <sip:probe@127\\.0\\.0\\.1>;tag=tloud1 \\| To: <sip:127\\.0\\.0\\.1:${sipPort}> \\| CSeq: 1 OPTIONS \\| Via: `,
    ),
  );
  assert.match(String(lines[1]!.msg), new RegExp(`^-> UDP 127\\.0\\.0\\.1:${client.port} SIP/2\\.0 200 OK \\| Call-ID: loud1 `));
  assert.equal(lines[0]!.traceLevel, 'FINE');
  assert.equal(lines[0]!.source, 'ra:sip');
});
