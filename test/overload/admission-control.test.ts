import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdmissionControl } from '../../slee/overload/admission-control.js';
import { AlarmRegistry } from '../../slee/facilities/alarm/alarm-registry.js';
import { DEFAULT_OVERLOAD_SETTINGS } from '../../slee/overload/overload-settings.js';

const CALM = { utilisation: 0.3, delayMs: 2, backlog: 0 };
const BUSY = { utilisation: 0.99, delayMs: 5, backlog: 10 };
/** Samples of a saturated loop, with nothing waiting, before shedding starts. */
const SATURATED = DEFAULT_OVERLOAD_SETTINGS.saturationSustain;

function control(backlog = () => 0, minRequestsPerSample = 0) {
  const alarms = new AlarmRegistry();
  const settings = { ...DEFAULT_OVERLOAD_SETTINGS, maxUtilisation: 0.9, maxDelayMs: 100, maxBacklog: 1000, sustain: 3, minRequestsPerSample };
  const admission = new AdmissionControl(settings, alarms, backlog);
  return { admission, alarms };
}

/** How many of `n` new pieces of work are admitted. */
function admitted(admission: AdmissionControl, n: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (admission.admit()) count++;
  return count;
}

test('a calm node admits everything and raises nothing', () => {
  const { admission, alarms } = control();
  for (let i = 0; i < 20; i++) admission.update(CALM);
  assert.equal(admitted(admission, 1000), 1000);
  assert.equal(admission.rejectFraction, 0);
  assert.deepEqual(alarms.list(), []);
});

test('one busy sample is a pause, not overload', () => {
  const { admission, alarms } = control();
  admission.update(BUSY);
  admission.update(BUSY);
  admission.update(CALM);
  admission.update(BUSY);
  assert.equal(admitted(admission, 100), 100);
  assert.deepEqual(alarms.list(), []);
});

test('a saturated node sheds a growing share of new work, raises one alarm, and clears it once load falls', () => {
  const { admission, alarms } = control();
  for (let i = 0; i < SATURATED; i++) admission.update(BUSY);
  const first = admitted(admission, 1000);
  assert.ok(first < 1000 && first > 0, `some, not all, new work is shed at first (${first} of 1000 admitted)`);
  for (let i = 0; i < 10; i++) admission.update(BUSY);
  const later = admitted(admission, 1000);
  assert.ok(later < first, `the shed share grows while the node stays saturated (${first} then ${later})`);
  assert.ok(later > 0, 'something is still admitted: shedding is graceful, not a stop');
  const raised = alarms.list();
  assert.equal(raised.length, 1);
  assert.equal(raised[0]!.type, 'sleet.overload');
  assert.equal(admission.stats.rejected, 2000 - first - later);

  for (let i = 0; i < 7; i++) admission.update(CALM);
  assert.equal(admission.rejectFraction, 0, 'seven calm samples (0.7 s by default) end even the deepest shedding');
  assert.equal(admitted(admission, 100), 100, 'full admission again once load has fallen');
  assert.deepEqual(alarms.list(), [], 'the overload alarm is cleared');
});

test('a saturated event loop whose input does not wait sheds nothing for a second: it is busy and keeping up', () => {
  const { admission, alarms } = control();
  for (let i = 0; i < SATURATED - 1; i++) admission.update(BUSY);
  assert.equal(admitted(admission, 100), 100, 'a burst of work (a collection, compiling, a neighbour on the core) is not overload');
  assert.deepEqual(alarms.list(), []);
  admission.update(BUSY);
  assert.ok(admission.rejectFraction > 0, 'a loop saturated for a whole second is, even with no queue to show for it');
  for (let i = 0; i < 7; i++) admission.update(CALM);
  assert.equal(admission.rejectFraction, 0);
  const limit = DEFAULT_OVERLOAD_SETTINGS.maxInputDelayMs;
  for (let i = 0; i < 3; i++) {
    admission.noteInputDelay(limit / 4);
    admission.update(BUSY);
  }
  assert.equal(admission.rejectFraction, 0, 'input waiting a quarter of its limit is still keeping up');
  for (let i = 0; i < 3; i++) {
    admission.noteInputDelay(limit / 4 + 1);
    admission.update(BUSY);
  }
  assert.ok(admission.rejectFraction > 0, 'saturated with its input waiting longer, the node is falling behind: overload after three samples');
});

test('event-loop delay alone counts as overload', () => {
  const { admission } = control();
  for (let i = 0; i < 3; i++) admission.update({ utilisation: 0.5, delayMs: 250, backlog: 0 });
  assert.ok(admission.rejectFraction > 0);
});

test('a router backlog over its bound refuses new work at once, between samples', () => {
  let backlog = 0;
  const { admission } = control(() => backlog);
  admission.update(CALM);
  assert.equal(admission.admit(), true);
  backlog = 1000;
  assert.equal(admission.admit(), false, 'the queue bound holds without waiting for the next sample');
  backlog = 999;
  assert.equal(admission.admit(), true);
});

test('a busy node that few new requests reach does not shed them', () => {
  const { admission, alarms } = control(() => 0, 20);
  for (let i = 0; i < 10; i++) {
    admitted(admission, 19);
    admission.update(BUSY);
  }
  assert.equal(admission.rejectFraction, 0, '19 requests a sample are too few to be the cause');
  for (let i = 0; i < SATURATED; i++) {
    admitted(admission, 20);
    admission.update(BUSY);
  }
  assert.ok(admission.rejectFraction > 0, '20 a sample, with the node saturated, is overload');
  assert.equal(alarms.list().length, 1);
});

test("while shedding, input that waited too long in a socket's queue refuses all new work until a shorter wait is noted; outside an overload it refuses nothing", () => {
  const { admission } = control();
  const limit = DEFAULT_OVERLOAD_SETTINGS.maxInputDelayMs;
  admission.noteInputDelay(limit + 1);
  assert.equal(admitted(admission, 10), 10, 'one late datagram (a pause, a burst) is not overload');
  admission.noteInputDelay(0);
  for (let i = 0; i < SATURATED; i++) admission.update(BUSY);
  assert.ok(admitted(admission, 100) > 0);
  admission.noteInputDelay(limit + 1);
  assert.equal(admitted(admission, 100), 0, 'the queue drains only if new work stops joining it');
  admission.noteInputDelay(limit);
  assert.ok(admitted(admission, 100) > 0, 'a wait at the limit lets the admitted share in again');
});

test("input that waited too long in a socket's queue counts as overload within its sample, though the event loop looked calm", () => {
  const { admission, alarms } = control();
  const limit = DEFAULT_OVERLOAD_SETTINGS.maxInputDelayMs;
  for (let i = 0; i < 3; i++) {
    admission.noteInputDelay(limit + 1);
    admission.noteInputDelay(limit / 2);
    admission.update(CALM);
  }
  assert.ok(admission.rejectFraction > 0, 'the longest wait of each sample counts, though the event loop looked calm');
  assert.match(alarms.list()[0]?.message ?? '', new RegExp(`input waited ${limit + 1} ms to be read, limit ${limit} ms`));
  for (let i = 0; i < 40; i++) admission.update(CALM);
  assert.equal(admission.rejectFraction, 0, 'an old sample does not linger');
  assert.deepEqual(alarms.list(), []);
});

test("adaptors measure their input wait in each load sample's own wake-up, before it is judged, until they stop", () => {
  const { admission } = control();
  const limit = DEFAULT_OVERLOAD_SETTINGS.maxInputDelayMs;
  let measured = 0;
  const stop = admission.onSample(() => {
    measured++;
    admission.noteInputDelay(limit + 1);
  });
  for (let i = 0; i < 3; i++) admission.update(CALM);
  assert.equal(measured, 3);
  assert.ok(admission.rejectFraction > 0, "each sample's own measurement counted in it");
  stop();
  for (let i = 0; i < 40; i++) admission.update(CALM);
  assert.equal(measured, 3, 'a stopped listener is not called');
  assert.equal(admission.rejectFraction, 0);
});

test("an adaptor's failing measurement costs neither the sample nor the other adaptors' measurements", () => {
  const { admission } = control();
  const limit = DEFAULT_OVERLOAD_SETTINGS.maxInputDelayMs;
  admission.onSample(() => {
    throw new Error('probe socket gone');
  });
  admission.onSample(() => admission.noteInputDelay(limit + 1));
  for (let i = 0; i < 3; i++) assert.doesNotThrow(() => admission.update(CALM));
  assert.ok(admission.rejectFraction > 0, 'the second measurement counted in each sample');
});
