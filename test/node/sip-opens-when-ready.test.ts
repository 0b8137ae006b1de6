import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../sip/interop/sipp-runner.js';
import { DEMO_EXAMPLES } from '../../server/demo/demo-examples.js';

const MAIN = fileURLToPath(new URL('../../server/cli/main.js', import.meta.url));

test('a demo node answers SIP only once every example service is deployed, and logs ready', { timeout: 240_000 }, async () => {
  const [sipPort, httpPort] = [await freePort(), await freePort()];
  const dataDir = await mkdtemp(join(tmpdir(), 'sleet-ready-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLEET_')));
  const args = [MAIN, 'start', '--demo', '--data-dir', dataDir, '--management-port', '0', '--sip-port', String(sipPort), '--http-port', String(httpPort)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  const lines: Array<{ at: number; msg: string }> = [];
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const whole = pending.split('\n');
    pending = whole.pop()!;
    for (const line of whole) {
      const msg = (JSON.parse(line) as { msg: string }).msg;
      lines.push({ at: performance.now(), msg });
    }
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const probe = createSocket('udp4');
  try {
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
    let firstAnswer = 0;
    probe.on('message', () => (firstAnswer ||= performance.now()));
    // OPTIONS every 20 ms from the moment the process starts: the first answer marks the SIP listener opening.
    while (firstAnswer === 0) {
      assert.equal(child.exitCode, null, `the node stopped: ${stderr}`);
      const options = [
        `OPTIONS sip:127.0.0.1:${sipPort} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${probe.address().port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
        `From: <sip:probe@127.0.0.1>;tag=${randomBytes(4).toString('hex')}`,
        `To: <sip:127.0.0.1:${sipPort}>`,
        `Call-ID: ${randomBytes(8).toString('hex')}`,
        'CSeq: 1 OPTIONS',
        'Max-Forwards: 70',
        'Content-Length: 0',
      ];
      probe.send(`${options.join('\r\n')}\r\n\r\n`, sipPort, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 20));
    }
    for (let i = 0; i < 100 && !lines.some((l) => l.msg.startsWith('ready')); i++) await new Promise((r) => setTimeout(r, 50));
    for (const { name } of DEMO_EXAMPLES) {
      const deployed = lines.find((l) => l.msg === `example ${name} deployed`);
      assert.ok(deployed, `example ${name} was deployed: ${lines.map((l) => l.msg).join(' | ')}`);
      assert.ok(deployed.at < firstAnswer, `SIP answered ${(deployed.at - firstAnswer).toFixed(0)} ms before example ${name} was deployed`);
    }
    const ready = lines.find((l) => l.msg.startsWith('ready'));
    assert.ok(ready, 'the node logged ready');
    for (const { name } of DEMO_EXAMPLES)
      assert.match(
        ready.msg,
        new RegExp(
          name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toUpperCase()),
          'i',
        ),
      );
  } finally {
    probe.close();
    child.kill('SIGTERM');
  }
});
