import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { ManagementClient } from '../../server/management/client/management-client.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { UdpSipClient } from '../sbbs/udp-sip-client.js';
import { capturedLogger } from '../helpers/captured-logger.js';
import { runSleetCli } from '../helpers/sleet-cli.js';
import { checksum } from '../../server/observability/message-trace/pcapng.js';

async function startNode(t: import('node:test').TestContext) {
  const sipPort = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'sleet-msg-trace-'));
  const config = resolveNodeConfig({ flags: { dataDir, sipPort, httpPort: 0, managementPort: 0 }, env: {} });
  const log = capturedLogger();
  const node = await SleetNode.start({ config, logger: log.logger });
  t.after(() => node.stop());
  const sip = await UdpSipClient.open(sipPort);
  t.after(() => sip.close());
  const client = new ManagementClient({ url: node.managementUrl, token: node.token });
  const options = async (callId: string, user = 'probe') => {
    const text = [
      `OPTIONS sip:127.0.0.1:${sipPort} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${sip.port};branch=z9hG4bK${callId};rport`,
      `From: <sip:${user}@127.0.0.1>;tag=t${callId}`,
      `To: <sip:127.0.0.1:${sipPort}>`,
      `Call-ID: ${callId}`,
      'CSeq: 1 OPTIONS',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    assert.equal((await sip.send(text)).status, 200);
  };
  return { node, sipPort, dataDir, log, client, options, clientPort: sip.port };
}

interface Block {
  type: number;
  body: Buffer;
}

/** Reads pcap-ng blocks back (little-endian), checking each block's two length fields agree. */
function readBlocks(file: Buffer): Block[] {
  const blocks: Block[] = [];
  for (let at = 0; at < file.length;) {
    const type = file.readUInt32LE(at);
    const length = file.readUInt32LE(at + 4);
    assert.equal(length % 4, 0, 'blocks are 32-bit aligned');
    assert.equal(file.readUInt32LE(at + length - 4), length, 'trailing length');
    blocks.push({ type, body: file.subarray(at + 8, at + length - 4) });
    at += length;
  }
  return blocks;
}

test('a message trace of one Call-ID to a pcap-ng file: section, RAW-IP interface, one packet per message with IPv4/UDP headers Wireshark decodes', async (t) => {
  const { client, options, sipPort, clientPort, dataDir } = await startNode(t);
  const on = await client.messageTraceSet({ scope: 'call', callId: 'wanted-1', output: 'file', file: 'one-call.pcapng' });
  assert.equal(on.file, join(dataDir, 'traces', 'one-call.pcapng'));
  await options('other-1');
  await options('wanted-1');
  await options('other-2');
  assert.equal((await client.messageTraceGet()).messages, 2);
  await client.messageTraceSet({ scope: 'off' });

  const file = await readFile(join(dataDir, 'traces', 'one-call.pcapng'));
  const blocks = readBlocks(file);
  assert.equal(blocks[0]!.type, 0x0a0d0d0a, 'section header block');
  assert.equal(blocks[0]!.body.readUInt32LE(0), 0x1a2b3c4d, 'byte-order magic');
  assert.equal(blocks[1]!.type, 1, 'interface description block');
  assert.equal(blocks[1]!.body.readUInt16LE(0), 101, 'LINKTYPE_RAW');
  const packets = blocks.slice(2);
  assert.deepEqual(
    packets.map((b) => b.type),
    [6, 6],
    'two enhanced packet blocks: the OPTIONS and its 200',
  );
  const decoded = packets.map((b) => {
    const length = b.body.readUInt32LE(12);
    const data = b.body.subarray(20, 20 + length);
    const micros = (BigInt(b.body.readUInt32LE(4)) << 32n) | BigInt(b.body.readUInt32LE(8));
    assert.ok(Math.abs(Number(micros / 1000n) - Date.now()) < 60_000, 'microsecond timestamps');
    assert.equal(data[0]! >> 4, 4, 'IPv4');
    assert.equal(checksum(data.subarray(0, 20)), 0, 'a valid IP header checksum');
    assert.equal(data[9], 17, 'UDP');
    assert.equal(data.readUInt16BE(2), length, 'IP total length');
    const udp = data.subarray(20);
    return { src: udp.readUInt16BE(0), dst: udp.readUInt16BE(2), sip: udp.subarray(8).toString('latin1') };
  });
  assert.deepEqual([decoded[0]!.src, decoded[0]!.dst], [clientPort, sipPort]);
  assert.match(decoded[0]!.sip, /^OPTIONS sip:127\.0\.0\.1:\d+ SIP\/2\.0\r\n[\s\S]*Call-ID: wanted-1\r\n[\s\S]*\r\n\r\n$/);
  assert.deepEqual([decoded[1]!.src, decoded[1]!.dst], [sipPort, clientPort]);
  assert.match(decoded[1]!.sip, /^SIP\/2\.0 200 OK\r\n[\s\S]*Call-ID: wanted-1\r\n/);

  // Wireshark's reader, when the machine has it.
  if (spawnSync('tshark', ['-v'], { stdio: 'ignore' }).error === undefined) {
    const shark = spawnSync('tshark', ['-r', join(dataDir, 'traces', 'one-call.pcapng'), '-Y', 'sip', '-T', 'fields', '-e', 'sip.Call-ID'], {
      encoding: 'utf8',
    });
    assert.deepEqual(shark.stdout.trim().split('\n'), ['wanted-1', 'wanted-1']);
  }
});

test('a message trace of one user to the log, switched by the CLI: full messages with direction, transport and addresses', async (t) => {
  const { node, options, log, sipPort, clientPort } = await startNode(t);
  const env = { SLEET_URL: node.managementUrl, SLEET_TOKEN: node.token };
  const on = await runSleetCli(['trace', 'messages', 'user', 'carol', '--json'], env);
  assert.equal(on.code, 0, on.stderr);
  assert.equal(JSON.parse(on.stdout).scope, 'user');
  await options('not-carol', 'dave');
  await options('carol-1', 'carol');
  const lines = log.lines().filter((l) => l.component === 'sip-trace' && /^SIP (in|out) /.test(String(l.msg)));
  assert.equal(lines.length, 2, "carol's OPTIONS and its answer, not dave's");
  assert.equal(lines[0]!.msg, `SIP in UDP 127.0.0.1:${clientPort} -> 127.0.0.1:${sipPort}\n${lines[0]!.msg!.toString().split('\n').slice(1).join('\n')}`);
  assert.match(String(lines[0]!.msg), /\nOPTIONS sip:[^\n]+\r\nVia: [^\n]+\r\nFrom: <sip:carol@127\.0\.0\.1>;tag=tcarol-1\r\n/);
  assert.match(String(lines[1]!.msg), new RegExp(`^SIP out UDP 127\\.0\\.0\\.1:${sipPort} -> 127\\.0\\.0\\.1:${clientPort}\\nSIP/2\\.0 200 OK\\r\\n`));
  assert.equal(lines[0]!.direction, 'in');
  assert.match(String(lines[0]!.time), /^\d{4}-/);
  const status = await runSleetCli(['trace', 'messages'], env);
  assert.match(status.stdout, /^scope:\s+user$/m);
  assert.match(status.stdout, /^messages:\s+2$/m);
  const off = await runSleetCli(['trace', 'messages', 'off', '--json'], env);
  assert.equal(JSON.parse(off.stdout).scope, 'off');
  await options('carol-2', 'carol');
  assert.equal(log.lines().filter((l) => l.component === 'sip-trace' && /^SIP (in|out) /.test(String(l.msg))).length, 2, 'nothing once off');
});

test('a message trace of all traffic to a HEP-ready file: one JSON line per message with the HEPv3 fields', async (t) => {
  const { client, options, sipPort, clientPort } = await startNode(t);
  const on = await client.messageTraceSet({ scope: 'all', output: 'file', format: 'hep' });
  assert.match(on.file ?? '', /sip-.*\.hep\.jsonl$/);
  await options('hep-1');
  await client.messageTraceSet({ scope: 'off' });
  const lines = (await readFile(on.file!, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 2);
  assert.deepEqual(
    { ...lines[0], time_sec: 0, time_usec: 0, payload: String(lines[0]!.payload).split('\r\n')[0] },
    {
      ip_family: 2,
      ip_protocol_id: 17,
      src_ip: '127.0.0.1',
      dst_ip: '127.0.0.1',
      src_port: clientPort,
      dst_port: sipPort,
      time_sec: 0,
      time_usec: 0,
      protocol_type: 1,
      capture_agent_id: 2001,
      transport: 'UDP',
      direction: 'in',
      payload: `OPTIONS sip:127.0.0.1:${sipPort} SIP/2.0`,
    },
  );
  assert.ok(Math.abs((lines[0]!.time_sec as number) - Date.now() / 1000) < 60);
  assert.equal(lines[1]!.src_port, sipPort);
});

test('message trace settings are checked: a user scope needs a user, a file name no directories', async (t) => {
  const { client } = await startNode(t);
  await assert.rejects(client.messageTraceSet({ scope: 'user' }), /scope user needs user/);
  await assert.rejects(client.messageTraceSet({ scope: 'all', output: 'file', file: '../../etc/passwd' }), /a plain file name/);
  assert.equal((await client.messageTraceGet()).scope, 'off');
});
