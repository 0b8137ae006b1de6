import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runSipp } from '../sip/interop/sipp-runner.js';
import { UdpSipClient } from '../sbbs/udp-sip-client.js';
import { startDemoNode } from './demo-node.js';

/** baresip from Debian (baresip-core), with no audio device: a sine source and a file sink stand in for them. */
async function baresipConfig(sipPort: number, listenPort: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sleet-baresip-'));
  const modules = ['g711', 'ausine', 'aufile', 'account', 'menu'].map((m) => `module ${m}.so`);
  await writeFile(
    join(dir, 'config'),
    [
      `sip_listen 127.0.0.1:${listenPort}`,
      'module_path /usr/lib/baresip/modules',
      ...modules,
      'audio_source ausine,440',
      `audio_player aufile,${join(dir, 'heard.wav')}`,
      `audio_alert aufile,${join(dir, 'alert.wav')}`,
      '',
    ].join('\n'),
  );
  await writeFile(join(dir, 'accounts'), `<sip:bob@127.0.0.1>;auth_pass=bob-secret;outbound="sip:127.0.0.1:${sipPort}";regint=600\n`);
  return dir;
}

test('baresip registers as bob with digest on a default demo node and calls alice through it', { timeout: 120_000 }, async (t) => {
  const { sipPort } = await startDemoNode(t);
  const alicePort = await freePort();
  const alice = await UdpSipClient.open(sipPort);
  t.after(() => alice.close());
  assert.equal(
    (await alice.register({ user: 'alice', domain: '127.0.0.1', contacts: [`<sip:alice@127.0.0.1:${alicePort}>`], expires: 600, password: 'alice-secret' }))
      .status,
    200,
  );
  const answered = runSipp({ scenario: { file: 'uas-rr.xml' }, port: alicePort, calls: 1 });
  await new Promise((r) => setTimeout(r, 300));

  const config = await baresipConfig(sipPort, await freePort());
  // -s traces SIP to stdout; -t ends baresip (and its call, with BYE) after a few seconds.
  const baresip = spawn('baresip', ['-f', config, '-s', '-t', '8', '-e', '/dial sip:alice@127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let trace = '';
  baresip.stdout.on('data', (d: Buffer) => (trace += d.toString()));
  baresip.stderr.on('data', (d: Buffer) => (trace += d.toString()));
  await new Promise((resolve) => baresip.once('exit', resolve));

  assert.doesNotMatch(trace, /Function not implemented/, 'baresip understood the challenge');
  assert.match(
    trace,
    /SIP\/2\.0 401 Unauthorized[\s\S]*REGISTER sip:127\.0\.0\.1 SIP\/2\.0[\s\S]*?Authorization: Digest[\s\S]*?SIP\/2\.0 200 OK/,
    'bob registered with digest',
  );
  assert.match(
    trace,
    /SIP\/2\.0 407 Proxy Authentication Required[\s\S]*INVITE sip:alice@127\.0\.0\.1 SIP\/2\.0[\s\S]*?Proxy-Authorization: Digest/,
    'the INVITE was authenticated',
  );
  const call = await answered;
  assert.equal(call.exitCode, 0, `alice's phone got the INVITE, the ACK and the BYE through Sleet: ${call.errors}\n${trace}`);
  assert.equal(call.successful, 1);
});
