import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateProject } from '../../sdk/analysis/validate-project.js';
import { formatDiagnostic } from '../../sdk/analysis/sdk-diagnostic.js';
import { fixtureProjectsDir } from '../deployment/fixture-bundles.js';

const broken = join(fixtureProjectsDir, 'broken-sbb');
const cli = fileURLToPath(new URL('../../sdk/cli/main.js', import.meta.url));

test('validate points at each mistake in a broken SBB with file:line:column and what to change', async () => {
  const { ok, analysis } = await validateProject(broken);
  assert.equal(ok, false);
  assert.equal(analysis.diagnostics.length, 6);
  assert.deepEqual(analysis.diagnostics.slice(0, 5).map(formatDiagnostic), [
    "src/broken-sbb.ts:6:10: error: CMP field seen has type 'Map<string, number>', which is not serialisable (Map is not plain data); use string, number, boolean, bigint, Date, arrays or plain objects",
    `src/broken-sbb.ts:8:23: error: resource-adaptor link 'sip' is not declared; add it to "sleet.raLinks" in package.json (declared: direct)`,
    "src/broken-sbb.ts:10:3: error: @InitialEvent select variable 'Adress' is not one of ActivityContext, Address, AddressProfile, EventType, Event",
    "src/broken-sbb.ts:10:3: error: @InitialEvent selector method 'pick' does not exist; add a method pick(selector: InitialEventSelector): InitialEventSelector",
    "src/broken-sbb.ts:11:14: error: handler onGreeting: its event parameter has type 'number', but event type acme.Greeting delivers 'Greeting'; change the parameter type to 'Greeting'",
  ]);
  // The suggestions include every built-in event type, which grows as resource adaptors are added.
  assert.match(
    formatDiagnostic(analysis.diagnostics[5]!),
    /^src\/broken-sbb\.ts:15:3: error: handler onGoodbye: no known event type has the short name 'Goodbye'; rename it to one of (on\w+, )*onGreeting, (on\w+, )*onTimer, (on\w+, )*or declare the event type with defineEventType\(\.\.\., \{ short: 'Goodbye' \}\) or in "sleet\.eventTypes"$/,
  );
});

test('the valid fixture projects pass validation', async () => {
  for (const name of ['tick-events', 'counter-v1']) {
    const { ok, analysis } = await validateProject(join(fixtureProjectsDir, name));
    assert.deepEqual(analysis.diagnostics, [], name);
    assert.equal(ok, true);
  }
});

test('@EventHandler takes several event types, and the links of the injectables an SBB takes are checked too', async () => {
  const { ok, analysis } = await validateProject(join(fixtureProjectsDir, 'broken-handlers'));
  assert.equal(ok, false);
  assert.deepEqual(analysis.diagnostics.map(formatDiagnostic), [
    `src/relay-sbb.ts:6:23: error: resource-adaptor link 'http' is not declared; add it to "sleet.raLinks" in package.json (declared: sip)`,
    'src/relay-sbb.ts:25:3: error: @EventHandler on refuse names an event type the SDK does not know; pass a constant made with defineEventType, one exported by \'sleet\' (SipRequestEvents.INVITE), or declare it under "sleet.eventTypes" in package.json',
  ]);
  const relay = analysis.sbbs.find((s) => s.name === 'RelaySbb');
  assert.deepEqual(
    relay?.eventTypes.map((e) => e.name),
    ['sip.request.INVITE', 'sip.request.MESSAGE'],
  );
  assert.deepEqual(relay?.raLinks, ['http']);
});

test('the example services pass validation with the guard-free API: typed events, activities, bodies and injectables', async () => {
  const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
  for (const name of ['call-screening', 'call-forwarding', 'click-to-dial', 'wake-up-call', 'presence', 'no-answer-bridge']) {
    const { analysis } = await validateProject(join(examples, name));
    assert.deepEqual(analysis.diagnostics, [], name);
  }
});

test('sleet-sdk validate exits non-zero and prints the diagnostics', () => {
  const run = spawnSync(process.execPath, [cli, 'validate', broken], { encoding: 'utf8' });
  assert.equal(run.status, 1);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 7);
  assert.match(lines[0]!, /^src\/broken-sbb\.ts:6:10: error: CMP field seen/);
  assert.equal(lines[6], '6 error(s)');
});
