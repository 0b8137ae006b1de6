import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { freePort, runSipp, sippSkipReason } from '../sip/interop/sipp-runner.js';
import { UdpSipClient } from '../sbbs/udp-sip-client.js';
import { RelayPeer } from '../sbbs/relay-peer.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { metricValue, scrape, type ScrapedSample } from '../helpers/metrics-text.js';

const CALLS = 7;

test(`${CALLS} SIPp calls through a demo node move the SIP and SLEE counters by exactly ${CALLS}`, { skip: sippSkipReason() }, async (t) => {
  const sipPort = await freePort();
  const config = resolveNodeConfig({
    flags: { demo: true, dataDir: await mkdtemp(join(tmpdir(), 'sleet-metrics-')), sipPort, httpPort: 0, managementPort: 0, trusted: ['127.0.0.0/8'] },
    env: {},
  });
  const node = await SleetNode.start({ config, logger: silentLogger() });
  t.after(() => node.stop());
  const url = node.managementUrl;

  const bobPort = await freePort();
  const bob = await UdpSipClient.open(sipPort);
  t.after(() => bob.close());
  assert.equal((await bob.register({ user: 'bob', domain: '127.0.0.1', contacts: [`<sip:bob@127.0.0.1:${bobPort}>`] })).status, 200);

  const before = await scrape(url);
  assert.equal(metricValue(before, 'sleet_sip_registrations_active'), 1, 'bob is registered');
  const callee = runSipp({ scenario: { file: 'uas-rr.xml' }, port: bobPort, calls: CALLS });
  await new Promise((r) => setTimeout(r, 300));
  const calls = await runSipp({
    scenario: { file: 'uac-rr.xml' },
    port: await freePort(),
    remote: `127.0.0.1:${sipPort}`,
    calls: CALLS,
    service: 'bob',
    extraArgs: ['-r', '5'],
  });
  assert.equal(calls.exitCode, 0, calls.errors);
  assert.equal(calls.successful, CALLS);
  assert.equal((await callee).exitCode, 0);
  await node.slee.kernel.router.idle();
  const after = await scrape(url);

  const delta = (name: string, labels: Record<string, string> = {}) => metricValue(after, name, labels) - metricValue(before, name, labels);
  const exactly = (name: string, labels: Record<string, string> = {}, expected = CALLS) =>
    assert.equal(delta(name, labels), expected, `${name}${JSON.stringify(labels)}`);
  for (const method of ['INVITE', 'ACK', 'BYE']) {
    exactly('sleet_sip_requests_received_total', { method });
    exactly('sleet_sip_requests_sent_total', { method });
  }
  for (const method of ['INVITE', 'BYE']) {
    exactly('sleet_sip_responses_received_total', { method, status_class: '2xx' });
    exactly('sleet_sip_responses_sent_total', { method, status_class: '2xx' });
  }
  exactly('sleet_sip_responses_sent_total', { method: 'INVITE', status_class: '4xx' }, 0);
  exactly('sleet_sip_invite_final_response_seconds_count');
  exactly('sleet_sip_invite_final_response_seconds_bucket', { le: '+Inf' });
  exactly('sleet_sip_requests_received_total', { method: 'REGISTER' }, 0);
  exactly('sleet_sip_retransmissions_total', {}, 0);
  exactly('sleet_sip_parse_errors_total', {}, 0);
  exactly('sleet_slee_events_delivered_total', { event_type: inviteEventType(after) });
  exactly('sleet_slee_transaction_rollbacks_total', {}, 0);
  exactly('sleet_slee_handler_timeouts_total', {}, 0);
  assert.ok(delta('sleet_slee_transaction_commits_total') >= CALLS, 'every INVITE delivery committed');
  assert.ok(delta('sleet_usage_counter_total', { source: 'ra:sip', parameter: 'requestsIn' }) >= CALLS, 'the SIP RA usage counters are exported');
  assert.equal(metricValue(after, 'sleet_sip_dialogs_active'), 0);
  assert.equal(metricValue(after, 'sleet_slee_router_queue_depth'), 0);
  for (const name of [
    'sleet_process_cpu_seconds_total',
    'sleet_nodejs_heap_size_used_bytes',
    'sleet_nodejs_eventloop_lag_p99_seconds',
    'sleet_node_event_loop_utilisation',
    'sleet_profile_cache_hit_ratio',
    'sleet_slee_activities_active',
    'sleet_slee_sbb_entities_active',
  ]) {
    assert.ok(
      after.some((s) => s.name === name),
      `${name} is exported`,
    );
  }
  assert.ok(metricValue(after, 'sleet_profile_cache_hits_total') > 0, 'the location lookups hit the profile cache');
  assert.ok(
    after.some((s) => s.name === 'sleet_alarms_active' && s.labels.level === 'MAJOR'),
    'alarms by level, zeros included',
  );
});

test('an unknown SIP method is counted as OTHER: peers cannot add label values', async (t) => {
  const sipPort = await freePort();
  const config = resolveNodeConfig({
    flags: { dataDir: await mkdtemp(join(tmpdir(), 'sleet-metrics-other-')), sipPort, httpPort: 0, managementPort: 0 },
    env: {},
  });
  const node = await SleetNode.start({ config, logger: silentLogger() });
  t.after(() => node.stop());
  const peer = await RelayPeer.open('127.0.0.1');
  t.after(() => peer.close());
  const method = `FOO${randomBytes(3).toString('hex').toUpperCase()}`;
  const callId = randomBytes(8).toString('hex');
  peer.send(
    [
      `${method} sip:127.0.0.1:${sipPort} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
      'Max-Forwards: 70',
      'From: <sip:probe@127.0.0.1>;tag=p1',
      `To: <sip:127.0.0.1:${sipPort}>`,
      `Call-ID: ${callId}`,
      `CSeq: 1 ${method}`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
    sipPort,
  );
  const response = await peer.finalResponse(callId, method, 3000);
  assert.equal(response.status, 501);
  const samples = await scrape(node.managementUrl);
  assert.equal(metricValue(samples, 'sleet_sip_requests_received_total', { method: 'OTHER' }), 1);
  assert.equal(metricValue(samples, 'sleet_sip_responses_sent_total', { method: 'OTHER', status_class: '5xx' }), 1);
  assert.ok(!samples.some((s) => Object.values(s.labels).includes(method)), 'the method never becomes a label value');
});

function inviteEventType(samples: ScrapedSample[]): string {
  const sample = samples.find((s) => s.name === 'sleet_slee_events_delivered_total' && s.labels.event_type!.startsWith('sip.request.INVITE'));
  assert.ok(sample, 'INVITE events are counted by type');
  return sample.labels.event_type!;
}
