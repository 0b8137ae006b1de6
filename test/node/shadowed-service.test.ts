import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import type { SipRequestEvent } from '../../resource-adaptors/sip/ra/sip-events.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { UdpSipClient } from '../sbbs/udp-sip-client.js';

const seen: boolean[] = [];

/** A new developer's first service: default priority 0, behind the node's location proxy (priority 10). */
@Service({ name: 'LateMessages', vendor: 'acme', version: '1.0' })
@Sbb({ name: 'LateMessagesSbb', vendor: 'acme', version: '1.0' })
class LateMessagesSbb {
  @InitialEvent({ select: ['ActivityContext'] })
  onMessage(event: SipRequestEvent) {
    seen.push(event.transaction!.isAnswered);
    if (!event.transaction!.isAnswered) event.transaction!.respond(200);
  }
}

function message(client: UdpSipClient, sipPort: number): string {
  const lines = [
    `MESSAGE sip:nobody@127.0.0.1:${sipPort} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${client.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
    `From: <sip:alice@127.0.0.1>;tag=${randomBytes(4).toString('hex')}`,
    `To: <sip:nobody@127.0.0.1>`,
    `Call-ID: ${randomBytes(8).toString('hex')}`,
    'CSeq: 1 MESSAGE',
    'Max-Forwards: 70',
    'Content-Type: text/plain',
    'Content-Length: 2',
  ];
  return `${lines.join('\r\n')}\r\n\r\nhi`;
}

test('a service behind a higher-priority one that answers first: each answer logged with its service, one warning naming both and their priorities', async (t) => {
  const records: Array<{ level: number; msg: string; [k: string]: unknown }> = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) records.push(JSON.parse(line));
      callback();
    },
  });
  const sipPort = await freePort();
  const config = resolveNodeConfig({
    flags: { dataDir: await mkdtemp(join(tmpdir(), 'sleet-shadowed-')), sipPort, httpPort: 0, managementPort: 0, trusted: ['127.0.0.0/8'], logLevel: 'debug' },
    env: {},
  });
  const node = await SleetNode.start({ config, logger: pino({ level: 'debug' }, sink) });
  t.after(() => node.stop());
  node.slee.activateService(node.slee.installService(LateMessagesSbb));

  const client = await UdpSipClient.open(sipPort);
  t.after(() => client.close());
  const first = await client.send(message(client, sipPort));
  const second = await client.send(message(client, sipPort));
  await node.slee.kernel.router.idle();

  assert.equal(first.status, 404, 'the location proxy answers first: nobody is not a subscriber');
  assert.equal(second.status, 404);
  assert.deepEqual(seen, [true, true], 'the late service saw both requests answered');
  const answers = records.filter((r) => r.level === 20 && r.event === 'sip.request.MESSAGE' && typeof r.service === 'string');
  assert.deepEqual(
    answers.map((r) => r.service),
    ['LocationProxy:sleet:1.0', 'LocationProxy:sleet:1.0'],
    'each answer is logged with the service that gave it',
  );
  const warnings = records.filter((r) => r.level === 40 && r.answeredBy !== undefined);
  assert.equal(warnings.length, 1, 'warned once');
  assert.deepEqual(
    {
      service: warnings[0]!.service,
      priority: warnings[0]!.priority,
      answeredBy: warnings[0]!.answeredBy,
      answeredByPriority: warnings[0]!.answeredByPriority,
    },
    { service: 'LateMessages:acme:1.0', priority: 0, answeredBy: 'LocationProxy:sleet:1.0', answeredByPriority: 10 },
  );
  assert.match(warnings[0]!.msg, /LateMessages:acme:1\.0 \(priority 0\).*LocationProxy:sleet:1\.0 \(priority 10\)/);
});

test('a service that answers its own requests is not warned about', async (t) => {
  const records: Array<{ level: number; answeredBy?: unknown; service?: unknown }> = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) records.push(JSON.parse(line));
      callback();
    },
  });
  const sipPort = await freePort();
  const config = resolveNodeConfig({
    flags: { dataDir: await mkdtemp(join(tmpdir(), 'sleet-first-')), sipPort, httpPort: 0, managementPort: 0, trusted: ['127.0.0.0/8'], logLevel: 'debug' },
    env: {},
  });
  const node = await SleetNode.start({ config, logger: pino({ level: 'debug' }, sink) });
  t.after(() => node.stop());

  @Service({ name: 'FirstMessages', vendor: 'acme', version: '1.0', priority: 11 })
  @Sbb({ name: 'FirstMessagesSbb', vendor: 'acme', version: '1.0' })
  class FirstMessagesSbb {
    @InitialEvent({ select: ['ActivityContext'] })
    onMessage(event: SipRequestEvent) {
      if (!event.transaction!.isAnswered) event.transaction!.respond(200);
    }
  }
  node.slee.activateService(node.slee.installService(FirstMessagesSbb));
  const client = await UdpSipClient.open(sipPort);
  t.after(() => client.close());
  assert.equal((await client.send(message(client, sipPort))).status, 200);
  await node.slee.kernel.router.idle();
  assert.deepEqual(
    records.filter((r) => r.service !== undefined && r.level === 20).map((r) => r.service),
    ['FirstMessages:acme:1.0'],
  );
  assert.deepEqual(
    records.filter((r) => r.answeredBy !== undefined && r.service === 'FirstMessages:acme:1.0'),
    [],
    'the service that answers is not warned about',
  );
});
