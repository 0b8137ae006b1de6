import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Publisher, UserAgent } from 'sip.js';
import { startDemoNode } from '../node/demo-node.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { registeredSipJsUser } from '../sip/ws/sipjs-ua.js';
import { toolSkipReason } from '../helpers/tool-skip-reason.js';

function baresipSkipReason(): string | undefined {
  const available = spawnSync('baresip', ['-h'], { stdio: 'ignore' }).error === undefined;
  return toolSkipReason(available, 'baresip is not installed (apt-get install -y baresip)');
}

/** A baresip configuration: carol on UDP through the node as outbound proxy, watching alice with the presence module. */
function baresipConfig(sipPort: number, listenPort: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'sleet-baresip-'));
  writeFileSync(
    join(dir, 'config'),
    [
      'module_path /usr/lib/baresip/modules',
      'module account.so',
      'module contact.so',
      'module presence.so',
      `sip_listen 127.0.0.1:${listenPort}`,
      'sip_transports udp',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'accounts'), `<sip:carol@127.0.0.1>;auth_pass=carol-secret;outbound="sip:127.0.0.1:${sipPort}";regint=0\n`);
  writeFileSync(join(dir, 'contacts'), '"alice" <sip:alice@127.0.0.1>;presence=p2p\n');
  return dir;
}

test(
  'baresip (carol, UDP) watches alice through the demo presence agent and sees what alice publishes over WebSocket',
  { skip: baresipSkipReason() },
  async (t) => {
    const wsPort = await freePort();
    const demo = await startDemoNode(t, { sipWsPort: wsPort, digestAlgorithms: 'MD5' });
    const baresip = spawn('baresip', ['-f', baresipConfig(demo.sipPort, await freePort()), '-s', '-t', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    baresip.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    baresip.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    t.after(() => baresip.kill());
    const waitFor = async (what: RegExp, label: string) => {
      const deadline = Date.now() + 10_000;
      while (!what.test(log)) {
        if (Date.now() > deadline) throw new Error(`baresip: no ${label} in 10 s:\n${log}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitFor(/NOTIFY sip:[\s\S]*<basic>closed<\/basic>/, 'first NOTIFY (alice offline)');
    assert.match(log, /SIP\/2\.0 407 /, 'the SUBSCRIBE was challenged and baresip answered it');

    const alice = await registeredSipJsUser({ server: `ws://127.0.0.1:${wsPort}`, user: 'alice', domain: '127.0.0.1', password: 'alice-secret' });
    t.after(() => alice.stop());
    const publisher = new Publisher(alice.ua, UserAgent.makeURI('sip:alice@127.0.0.1')!, 'presence', { expires: 60, contentType: 'application/pidf+xml' });
    await publisher.publish(
      '<?xml version="1.0" encoding="UTF-8"?>\n<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@127.0.0.1"><tuple id="ws"><status><basic>open</basic></status></tuple></presence>\n',
    );
    await waitFor(/NOTIFY sip:[\s\S]*<tuple id="ws"><status><basic>open<\/basic>/, 'NOTIFY with what alice published');
    await publisher.unpublish();
  },
);
