import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { freePort, runSipp, sippSkipReason } from '../sip/interop/sipp-runner.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { UdpSipClient } from '../sbbs/udp-sip-client.js';
import { fixtureBundle } from '../deployment/fixture-bundles.js';
import { openConsoleBrowser, until, type ConsoleBrowser } from './console-browser.js';

// One demo node and one browser for the whole file: Chromium is heavy on a small machine.
let node: SleetNode;
let sipPort: number;
let ui: ConsoleBrowser;
let consoleUrl: string;

before(async () => {
  sipPort = await freePort();
  const config = resolveNodeConfig({
    // Trusted loopback: SIPp calls skip digest authentication, as in test/node/demo-domain.test.ts.
    flags: { demo: true, dataDir: await mkdtemp(join(tmpdir(), 'sleet-console-')), sipPort, httpPort: 0, managementPort: 0, trusted: ['127.0.0.0/8'] },
    env: {},
  });
  node = await SleetNode.start({ config, logger: silentLogger() });
  consoleUrl = `${node.managementUrl}/`;
  ui = await openConsoleBrowser();
});

after(async () => {
  await ui?.close();
  await node?.stop();
});

test('the console asks for the management token, refuses a wrong one and shows the node once logged in', async () => {
  const { page } = ui;
  await page.goto(consoleUrl);
  assert.match(page.url(), /\/console\/$/, '/ redirects to the console');
  await page.getByLabel('Management token').fill('not-the-token-at-all');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').filter({ hasText: 'refused this token' }).waitFor();
  await ui.screenshot('login-refused');

  await page.getByLabel('Management token').fill(node.token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('slee').getByText('RUNNING').waitFor();
  assert.equal(await page.evaluate('sessionStorage.getItem("sleet.managementToken")'), node.token, 'the token is kept for the tab only');
  await page.locator('.stream-on').waitFor();

  // A reload keeps the session; the API calls carry the token.
  await page.reload();
  await page.getByTestId('slee').getByText('RUNNING').waitFor();
});

test('the services page lists the demo services and units, and deactivates and activates a service', async () => {
  const { page } = ui;
  await page.locator('nav a[data-page="services"]').click();
  const row = page.locator('tr[data-service^="WakeUpCall:"]');
  await row.getByText('ACTIVE', { exact: true }).waitFor();
  for (const unit of ['call-screening', 'call-forwarding', 'click-to-dial', 'wake-up-call']) {
    await page.locator(`tr[data-unit*="${unit}"]`).waitFor();
  }
  await ui.screenshot('services');

  await row.getByRole('button', { name: 'Deactivate' }).click();
  await row.getByText('INACTIVE', { exact: true }).waitFor();
  assert.equal(node.slee.listServices().find((s) => s.id.name === 'WakeUpCall')?.state, 'INACTIVE');
  await row.getByRole('button', { name: 'Activate' }).click();
  await row.getByText('ACTIVE', { exact: true }).waitFor();
  assert.equal(node.slee.listServices().find((s) => s.id.name === 'WakeUpCall')?.state, 'ACTIVE');
});

/** alice calls bob with an INVITE the scenario expects call screening to decline (603). */
const aliceCallsBob = async () =>
  runSipp({
    scenario: { file: 'scr-uac-declined.xml' },
    port: await freePort(),
    remote: `127.0.0.1:${sipPort}`,
    calls: 1,
    service: 'bob',
    keys: { from: '<sip:alice@127.0.0.1>', domain: '127.0.0.1' },
  });

test('a block-list entry added in the profiles page makes call screening decline the call with 603', { skip: sippSkipReason() }, async () => {
  const { page } = ui;
  const before = await aliceCallsBob();
  assert.notEqual(before.exitCode, 0, 'without an entry, alice is not declined');

  await page.locator('nav a[data-page="profiles"]').click();
  await page.locator('a[data-table="blocklist"]').click();
  await page.getByRole('button', { name: 'New profile' }).click();
  const form = page.getByTestId('profile-form');
  await form.getByLabel('Profile name').fill('bob-blocks-alice');
  await form.getByLabel('subscriber').fill('sip:bob@127.0.0.1');
  await form.locator('select[name=match]').selectOption('address');
  await form.getByLabel('pattern').fill('sip:alice@127.0.0.1');
  await ui.screenshot('profile-create');
  await form.getByRole('button', { name: 'Create' }).click();
  const row = page.locator('tr[data-profile="bob-blocks-alice"]');
  await row.waitFor();
  assert.match(await row.innerText(), /603/, 'the status default is shown');
  assert.equal((await node.profiles.getProfile('blocklist', 'bob-blocks-alice'))?.values['pattern'], 'sip:alice@127.0.0.1');
  await ui.screenshot('profiles');

  const blocked = await aliceCallsBob();
  assert.equal(blocked.exitCode, 0, `alice got 603 Decline: ${blocked.errors}`);

  // Searching finds the entry; deleting it in the page unblocks alice again.
  const search = page.getByTestId('profile-search');
  await search.locator('select[name=attribute]').selectOption('pattern');
  await search.locator('select[name=op]').selectOption('hasPrefix');
  await search.locator('input[name=value]').fill('sip:alice');
  await search.getByRole('button', { name: 'Search' }).click();
  await until('the search to show only the entry', async () => (await page.locator('tr[data-profile]').count()) === 1);
  await row.getByRole('button', { name: 'Delete' }).click();
  await row.waitFor({ state: 'detached' });
  await until('the entry to be removed', async () => (await node.profiles.getProfile('blocklist', 'bob-blocks-alice')) === undefined);
});

test('the profiles page imports a CSV with progress, and lists the rejected rows of a refused one', async () => {
  const { page } = ui;
  await page.locator('nav a[data-page="profiles"]').click();
  await page.locator('a[data-table="blocklist"]').click();
  const importer = page.getByTestId('csv-import');
  const good =
    'profileName,subscriber,match,pattern,action,status,announcement\ncarol-1,sip:carol@127.0.0.1,address,sip:eve@127.0.0.1,reject,603,\ncarol-2,sip:carol@127.0.0.1,prefix,+4420,reject,403,\n';
  await importer.locator('input[type=file]').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await importer.getByRole('button', { name: 'Import' }).click();
  await importer.getByTestId('import-progress').getByText('2 / 2').waitFor();
  await page.locator('tr[data-profile="carol-2"]').waitFor();

  const bad =
    'profileName,subscriber,match,pattern,action,status,announcement\ncarol-3,sip:carol@127.0.0.1,address,sip:x@127.0.0.1,reject,603,\ncarol-4,sip:carol@127.0.0.1,sometimes,sip:y@127.0.0.1,reject,603,\ncarol-5,sip:carol@127.0.0.1,address,sip:z@127.0.0.1,reject,loud,\n';
  await importer.locator('input[type=file]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await importer.getByRole('button', { name: 'Import' }).click();
  const rejected = importer.getByTestId('rejected-rows');
  await rejected.waitFor();
  assert.match(await rejected.locator('tr[data-line="3"]').innerText(), /carol-4\s+match/);
  assert.match(await rejected.locator('tr[data-line="4"]').innerText(), /carol-5\s+status/);
  await ui.screenshot('profile-import-rejected');
  assert.equal(await node.profiles.getProfile('blocklist', 'carol-3'), undefined, 'all or nothing: the good row of the refused file is not in');
});

test('an alarm pops up as a toast, is listed on the alarms page, and Clear clears it on the node', async () => {
  const { page } = ui;
  await page.locator('nav a[data-page="alarms"]').click();
  await page.getByTestId('no-alarms').or(page.getByTestId('alarms')).waitFor();
  const alarms = node.slee.kernel.alarms;
  const id = alarms.raise('ra:sip', 'sleet.test.console-alarm', 'trunk-1', 'MAJOR', 'trunk-1 is unreachable');
  await page.locator('.toast').filter({ hasText: 'trunk-1 is unreachable' }).waitFor();
  const row = page.locator(`tr[data-alarm="${id}"]`);
  await row.getByText('MAJOR').waitFor();
  await ui.screenshot('alarms', { toasts: true });
  await row.getByRole('button', { name: 'Clear' }).click();
  await row.waitFor({ state: 'detached' });
  assert.equal(
    alarms.list().some((a) => a.id === id),
    false,
    'the alarm is cleared on the node',
  );
});

test('the RA entities, trace, usage and inspector pages show the node and change it', async () => {
  const { page } = ui;
  await page.locator('nav a[data-page="ra"]').click();
  const sip = page.locator('tr[data-entity="sip"]');
  await sip.getByText('ACTIVE', { exact: true }).waitFor();
  await ui.screenshot('ra-entities');

  await page.locator('nav a[data-page="traces"]').click();
  await page.locator('input[name=source]').fill('ra:sip');
  await page.locator('input[name=tracer]').fill('transport');
  await page.locator('select[name=level]').selectOption('FINEST');
  await page.getByRole('button', { name: 'Set level' }).click();
  await page.getByTestId('trace-levels').getByText('FINEST').waitFor();
  assert.equal(node.slee.kernel.traces.getLevel('ra:sip', 'transport'), 'FINEST');

  await page.locator('nav a[data-page="usage"]').click();
  await page.locator('a[data-usage="ra:sip"]').click();
  await page.getByTestId('usage-counters').locator('tr[data-counter]').first().waitFor();
  await ui.screenshot('usage');

  await page.locator('nav a[data-page="inspector"]').click();
  const first = page.getByTestId('activities').locator('tr[data-activity] a').first();
  await first.click();
  await page.getByTestId('activity-detail').getByText('Handle').waitFor();
  await ui.screenshot('inspector');
});

/** The values a dashboard chart shows last, one per series (null where a series has none yet). */
async function lastValues(chart: string): Promise<Array<number | null>> {
  const text = (await ui.page.locator(`[data-chart="${chart}"]`).getAttribute('data-last')) ?? '';
  return text.split(',').map((v) => (v === '' ? null : Number(v)));
}

test('the dashboard charts calls per second and live activities while SIPp calls flow', { skip: sippSkipReason() }, async (t) => {
  const { page } = ui;
  await page.locator('nav a[data-page="dashboard"]').click();
  await page.locator('[data-chart="calls"] canvas').waitFor();
  await page.getByTestId('cluster').getByText('Single node').waitFor();
  await page.getByTestId('node-state').getByText('standalone').waitFor();
  // Idle first: no INVITEs coming in, no events being delivered.
  await until('an idle calls chart', async () => (await lastValues('calls')).every((v) => v === 0));

  const bobPort = await freePort();
  const bob = await UdpSipClient.open(sipPort);
  t.after(() => bob.close());
  assert.equal((await bob.register({ user: 'bob', domain: '127.0.0.1', contacts: [`<sip:bob@127.0.0.1:${bobPort}>`] })).status, 200);
  const calls = 60;
  const callee = runSipp({ scenario: { file: 'uas-rr.xml' }, port: bobPort, calls });
  const caller = runSipp({
    scenario: { file: 'uac-rr.xml' },
    port: await freePort(),
    remote: `127.0.0.1:${sipPort}`,
    calls,
    service: 'bob',
    extraArgs: ['-r', '10'],
  });
  // INVITEs in come from /metrics, events delivered from /slee: both rise.
  await until('the calls chart to rise', async () => (await lastValues('calls')).every((v) => (v ?? 0) > 0));
  await until('the registration to be charted', async () => ((await lastValues('registrations'))[0] ?? 0) >= 1);
  await ui.screenshot('dashboard');
  const [made, answered] = await Promise.all([caller, callee]);
  assert.equal(made.exitCode, 0, made.errors);
  assert.equal(answered.exitCode, 0, answered.errors);
});

/** `user` registers and answers `calls` calls from SIPp (uas-rr), which SIPp's uac-rr places to it; the calls' Call-IDs. */
async function callsTo(user: string, calls: number): Promise<string[]> {
  const userPort = await freePort();
  const phone = await UdpSipClient.open(sipPort);
  try {
    assert.equal((await phone.register({ user, domain: '127.0.0.1', contacts: [`<sip:${user}@127.0.0.1:${userPort}>`] })).status, 200);
    const startedAt = Date.now();
    const [made, answered] = await Promise.all([
      runSipp({ scenario: { file: 'uac-rr.xml' }, port: await freePort(), remote: `127.0.0.1:${sipPort}`, calls, service: user }),
      runSipp({ scenario: { file: 'uas-rr.xml' }, port: userPort, calls }),
    ]);
    assert.equal(made.exitCode, 0, made.errors);
    assert.equal(answered.exitCode, 0, answered.errors);
    let callIds: string[] = [];
    await until(`a record of each call to ${user}`, async () => {
      callIds = (await node.management.cdrs.list({ from: startedAt, user })).map((r) => r.callId);
      return callIds.length === calls;
    });
    return callIds;
  } finally {
    await phone.close();
  }
}

/** A `datetime-local` input's value for an instant, in the browser's time zone, to the minute. */
const localMinute = (at: number) => ui.page.evaluate((t) => new Date(t - new Date(t).getTimezoneOffset() * 60_000).toISOString().slice(0, 16), at);

let carolCalls: string[] = [];

test('the CDR page lists the records of one user in a time range, and exports them as CSV', { skip: sippSkipReason() }, async () => {
  const { page } = ui;
  const from = await localMinute(Date.now());
  carolCalls = await callsTo('carol', 2);

  await page.locator('nav a[data-page="cdrs"]').click();
  const query = page.getByTestId('cdr-query');
  await query.locator('input[name=from]').fill(from);
  await query.locator('input[name=user]').fill('carol');
  // An empty range first (to = from): nothing, whatever the user.
  await query.locator('input[name=to]').fill(from);
  await query.getByRole('button', { name: 'Search' }).click();
  await page.getByTestId('no-cdrs').waitFor();

  await query.locator('input[name=to]').fill('');
  await query.getByRole('button', { name: 'Search' }).click();
  const rows = page.getByTestId('cdrs').locator('tr[data-call-id]');
  await until("both of carol's calls to be listed", async () => (await rows.count()) === carolCalls.length);
  for (const callId of carolCalls) {
    const text = await page.locator(`tr[data-call-id="${callId}"]`).innerText();
    assert.match(text, /sip:carol@127\.0\.0\.1/, 'the callee');
    assert.match(text, /LocationProxy/, 'the service');
    assert.match(text, /200/, 'the status');
    assert.match(text, /caller-hangup/, 'the end reason');
  }
  assert.equal(await rows.count(), carolCalls.length, "only carol's calls: the 60 calls to bob are not listed");
  await ui.screenshot('cdrs');

  const [download] = await Promise.all([page.waitForEvent('download'), query.getByRole('button', { name: 'Export CSV' }).click()]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  const csv = await readFile((await download.path())!, 'utf8');
  const lines = csv.trim().split('\n');
  assert.match(lines[0]!, /^callId,caller,callee,target,service,startedAt/);
  assert.equal(lines.length, 1 + carolCalls.length, 'the header and the same records as the table');
  for (const callId of carolCalls) assert.ok(csv.includes(callId), `${callId} is exported`);
});

test(
  'the trace page starts a SIP message trace for one Call-ID or one user, lists it with its messages, and stops it',
  { skip: sippSkipReason() },
  async () => {
    const { page } = ui;
    await page.locator('nav a[data-page="traces"]').click();
    const form = page.getByTestId('message-trace-form');
    const active = page.getByTestId('message-traces');
    await page.getByTestId('no-message-trace').waitFor();

    const callId = carolCalls[0] ?? 'some-call@127.0.0.1';
    await form.locator('select[name=scope]').selectOption('call');
    await form.locator('input[name=match]').fill(callId);
    await form.locator('select[name=output]').selectOption('pcapng');
    await form.getByRole('button', { name: 'Start trace' }).click();
    await active.locator('tr[data-trace="call"]').getByText(callId).waitFor();
    assert.match(await active.innerText(), /pcap-ng/);
    const byCall = node.management.messageTrace.get();
    assert.equal(byCall.scope, 'call');
    assert.equal(byCall.callId, callId);
    assert.equal(byCall.format, 'pcapng');
    assert.equal(byCall.output, 'file');

    // Starting another replaces it (the node keeps one trace); this one, carol's messages as HEP JSON lines, sees a call.
    await form.locator('select[name=scope]').selectOption('user');
    await form.locator('input[name=match]').fill('carol');
    await form.locator('select[name=output]').selectOption('hep');
    await form.getByRole('button', { name: 'Start trace' }).click();
    const byUser = active.locator('tr[data-trace="user"]');
    await byUser.getByText('carol').waitFor();
    assert.equal(await active.locator('tr[data-trace]').count(), 1);
    await callsTo('carol', 1);
    await until('the traced messages to be counted in the page', async () => Number(await byUser.locator('[data-messages]').getAttribute('data-messages')) > 0);
    assert.match(await byUser.innerText(), /HEP/);
    await ui.screenshot('traces');

    await byUser.getByRole('button', { name: 'Stop' }).click();
    await page.getByTestId('no-message-trace').waitFor();
    assert.equal(node.management.messageTrace.get().scope, 'off');
  },
);

test(
  'a bundle uploaded in the services page installs; a second version upgrades it while calls are up, the first drains, then uninstalls',
  { skip: sippSkipReason() },
  async (t) => {
    const { page } = ui;
    // Built by the SDK, as `sleet-sdk build` would: AnsweringService 1.0 and 2.0 answer every INVITE and hold the call until BYE.
    const [v1, v2] = await Promise.all([fixtureBundle('sip-uas-v1'), fixtureBundle('sip-uas-v2')]);
    await page.locator('nav a[data-page="services"]').click();
    const upload = async (archive: string, unit: string) => {
      await page.locator('input[name=bundle]').setInputFiles(archive);
      await page.getByRole('button', { name: 'Install', exact: true }).click();
      await page.locator(`tr[data-unit="${unit}"]`).waitFor();
    };
    await upload(v1.archive, 'acme.sip-uas@1.0.0');
    const first = page.locator('tr[data-service="AnsweringService:acme:1.0"]');
    await first.getByRole('button', { name: 'Activate' }).click();
    await first.getByText('ACTIVE', { exact: true }).waitFor();

    // The location proxy would answer calls to an unknown user first: out of the way while AnsweringService takes calls.
    await node.management.services.deactivate('LocationProxy');
    t.after(() => node.management.services.activate('LocationProxy'));
    const calls = 4;
    const held = runSipp({
      scenario: { builtin: 'uac' },
      port: await freePort(),
      remote: `127.0.0.1:${sipPort}`,
      calls,
      extraArgs: ['-r', String(calls), '-d', '25000', '-timeout', '120s'],
    });
    const rootsOf = (version: string) => node.slee.listServices().find((s) => s.id.name === 'AnsweringService' && s.id.version === version)?.rootEntities ?? 0;
    await until('every call to be up on 1.0', () => rootsOf('1.0') === calls);

    await upload(v2.archive, 'acme.sip-uas@2.0.0');
    const second = page.locator('tr[data-service="AnsweringService:acme:2.0"]');
    await second.getByText('INACTIVE', { exact: true }).waitFor();
    await page.locator('select[name=from]').selectOption('AnsweringService:acme:1.0');
    await page.locator('select[name=to]').selectOption('AnsweringService:acme:2.0');
    await page.getByRole('button', { name: 'Upgrade', exact: true }).click();
    await second.getByText('ACTIVE', { exact: true }).waitFor();
    const drain = page.getByTestId('drain');
    await drain.and(page.locator('[data-state=STOPPING]')).getByText(`${calls} root entities left`).waitFor();
    await ui.screenshot('services-upgrade');

    // The calls end on 1.0 (their BYEs go to the version that answered them), which then becomes INACTIVE.
    const run = await held;
    assert.equal(run.exitCode, 0, run.errors);
    assert.equal(run.successful, calls);
    await drain.and(page.locator('[data-state=INACTIVE]')).waitFor({ timeout: 60_000 });
    const states = new Map(node.slee.listServices().map((s) => [`${s.id.name}:${s.id.version}`, s.state]));
    assert.equal(states.get('AnsweringService:1.0'), 'INACTIVE');
    assert.equal(states.get('AnsweringService:2.0'), 'ACTIVE');

    await page.locator('tr[data-unit="acme.sip-uas@1.0.0"]').getByRole('button', { name: 'Uninstall' }).click();
    await page.locator('tr[data-unit="acme.sip-uas@1.0.0"]').waitFor({ state: 'detached' });
    assert.deepEqual(
      node.deployment
        .listUnits()
        .filter((u) => u.name === 'sip-uas')
        .map((u) => u.version),
      ['2.0.0'],
    );
    await second.getByRole('button', { name: 'Deactivate' }).click();
    await second.getByText('INACTIVE', { exact: true }).waitFor();
  },
);
