import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { startCallNode, eventually } from './call-node.js';
import { UdpSipClient } from '../sbbs/udp-sip-client.js';
import { ManagementClient } from '../../server/management/client/management-client.js';
import { runSleetCli } from '../helpers/sleet-cli.js';
import { ACCOUNTING_SOURCE, CDR_BACKLOG_ALARM } from '../../server/accounting/cdr-writer.js';
import type { CdrRecord } from '../../server/management/api/schemas.js';

/** Takes the CDR table away and brings it back (a database outage as the writer sees it). */
export interface TableOutage {
  begin(): Promise<void>;
  end(): Promise<void>;
}

const OUTAGE_CALLS = 30;

/**
 * Calls through a node, their records read back through the typed client,
 * REST (CSV) and the CLI, then calls while the table is away: every record
 * is written once it is back, the alarm raised meanwhile is cleared.
 */
export async function cdrScenario(
  t: TestContext,
  name: string,
  flags: Record<string, unknown>,
  outage: (node: Awaited<ReturnType<typeof startCallNode>>['node']) => TableOutage,
): Promise<void> {
  const { node, sipPort, calls } = await startCallNode(t, name, flags);
  const client = new ManagementClient({ url: node.managementUrl, token: node.token });
  const before = Date.now();
  const answered = await calls(3);
  assert.equal(answered.successful, 3, answered.errors);
  await rejectedCall(sipPort);
  await eventually(async () => (await client.cdrList()).length === 4, '4 records');

  const records = await client.cdrList();
  const carol = records.filter((r) => r.callee === 'sip:carol@127.0.0.1');
  assert.equal(carol.length, 1);
  assert.equal(carol[0]!.endReason, 'rejected');
  assert.ok(carol[0]!.status >= 400, `carol has no phone: ${carol[0]!.status}`);
  assert.equal(carol[0]!.answeredAt, null);
  assert.equal(carol[0]!.durationMs, 0);
  const bob = records.filter((r) => r.callee === 'sip:bob@127.0.0.1');
  assert.equal(bob.length, 3);
  for (const r of bob) {
    assert.equal(r.caller, 'sip:sipp@127.0.0.1');
    assert.match(r.target ?? '', /^sip:bob@127\.0\.0\.1:\d+/);
    assert.equal(r.service, 'LocationProxy:sleet:1.0');
    assert.equal(r.status, 200);
    assert.equal(r.endReason, 'caller-hangup');
    assert.equal(r.node, hostname());
    assert.equal(r.entity, 'sip');
    assert.ok(r.startedAt >= before && r.answeredAt! >= r.startedAt && r.endedAt >= r.answeredAt!);
    assert.equal(r.durationMs, r.endedAt - r.answeredAt!);
  }
  assert.equal(new Set(records.map((r) => r.callId)).size, 4);

  // By user and time range, through REST, the CSV export and the CLI.
  assert.equal((await client.cdrList({ user: 'carol' })).length, 1);
  assert.equal((await client.cdrList({ from: String(Date.now() + 60_000) })).length, 0);
  assert.equal((await client.cdrList({ from: new Date(before).toISOString(), to: String(Date.now() + 1000), limit: 2 })).length, 2);
  const csv = await fetch(`${node.managementUrl}/cdrs/export?format=csv&user=bob`, { headers: { authorization: `Bearer ${node.token}` } });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
  const lines = (await csv.text()).trim().split('\n');
  assert.equal(lines[0], 'callId,caller,callee,target,service,startedAt,answeredAt,endedAt,durationMs,status,endReason,node,entity');
  assert.equal(lines.length, 4);
  assert.match(
    lines[1]!,
    /,sip:sipp@127\.0\.0\.1,sip:bob@127\.0\.0\.1,sip:bob@127\.0\.0\.1:\d+[^,]*,LocationProxy:sleet:1\.0,\d{4}-\d\d-\d\dT[^,]+Z,[^,]+Z,[^,]+Z,\d+,200,caller-hangup,/,
  );
  const env = { SLEET_URL: node.managementUrl, SLEET_TOKEN: node.token };
  const cli = await runSleetCli(['cdr', 'list', '--user', 'carol', '--json'], env);
  assert.equal(cli.code, 0, cli.stderr);
  assert.deepEqual(
    (JSON.parse(cli.stdout) as CdrRecord[]).map((r) => r.callId),
    [carol[0]!.callId],
  );
  const human = await runSleetCli(['cdr', 'list', '--user', 'bob'], env);
  assert.match(human.stdout.split('\n')[0]!, /^STARTED\s+CALLER\s+CALLEE\s+TARGET\s+STATUS\s+END\s+DURATION\s+SERVICE\s+CALL-ID$/);
  const exported = await runSleetCli(['cdr', 'export', '--user', 'bob'], env);
  assert.equal(exported.stdout.trim().split('\n').length, 4);

  // The table goes away in the middle of calls and comes back: nothing is lost, the alarm says so meanwhile.
  const away = outage(node);
  await away.begin();
  const during = calls(OUTAGE_CALLS, { rate: 10 });
  const backlogAlarm = () => node.slee.kernel.alarms.list(ACCOUNTING_SOURCE).some((a) => a.type === CDR_BACKLOG_ALARM);
  await eventually(backlogAlarm, 'the backlog alarm');
  await new Promise((r) => setTimeout(r, 800));
  await away.end();
  const run = await during;
  assert.equal(run.successful, OUTAGE_CALLS, `calls go on while records cannot be written: ${run.errors}`);
  await eventually(() => !backlogAlarm(), 'the alarm cleared once caught up');
  const all = await client.cdrList({ limit: 1000 });
  assert.equal(all.length, 4 + OUTAGE_CALLS, 'every call has its record');
  assert.equal(new Set(all.map((r) => r.callId)).size, all.length, 'and only one');
}

/** An INVITE to carol, who has no registered phone: refused. */
async function rejectedCall(sipPort: number): Promise<void> {
  const client = await UdpSipClient.open(sipPort);
  try {
    const callId = randomBytes(8).toString('hex');
    const response = await client.send(
      [
        'INVITE sip:carol@127.0.0.1 SIP/2.0',
        `Via: SIP/2.0/UDP 127.0.0.1:${client.port};branch=z9hG4bK${callId};rport`,
        'Max-Forwards: 70',
        `From: <sip:alice@127.0.0.1>;tag=a${callId}`,
        'To: <sip:carol@127.0.0.1>',
        `Call-ID: ${callId}`,
        'CSeq: 1 INVITE',
        `Contact: <sip:alice@127.0.0.1:${client.port}>`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    assert.ok(response.status >= 400, `carol's call refused: ${response.status}`);
  } finally {
    await client.close();
  }
}
