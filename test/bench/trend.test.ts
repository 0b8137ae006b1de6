import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slopePerHour, windowFloors } from '../../bench/sip-load/trend.js';

test('the trend line of memory samples, per hour', () => {
  // 1 MiB more every 10 s is 360 MiB an hour; a falling series has a negative slope.
  assert.equal(slopePerHour([100, 101, 102, 103], 10), 360);
  assert.equal(slopePerHour([103, 102, 101, 100], 10), -360);
  assert.equal(slopePerHour([7, 7, 7], 10), 0);
  assert.equal(slopePerHour([7], 10), 0);
});

test('the floor of a garbage-collected heap: a sawtooth over a flat floor has no trend, a rising floor has one', () => {
  // Each window climbs by allocation and drops back at a GC; only the lows say whether memory is kept.
  const flat = [90, 120, 150, 90, 120, 150, 90, 120, 150, 90, 120, 150];
  assert.deepEqual(windowFloors(flat, 3), [90, 90, 90, 90]);
  assert.ok(slopePerHour(flat, 10) > 0, 'the raw samples of a late-peaking sawtooth look like growth');
  assert.equal(slopePerHour(windowFloors(flat, 3), 30), 0);
  assert.deepEqual(windowFloors([100, 140, 101, 141, 102, 142], 2), [100, 101, 102]);
  // A last, partial window says nothing: it may not have reached its GC yet.
  assert.deepEqual(windowFloors([90, 150, 90, 150, 160], 2), [90, 90]);
});
