import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slopePerHour } from '../../bench/sip-load/trend.js';

test('the trend line of memory samples, per hour', () => {
  // 1 MiB more every 10 s is 360 MiB an hour; a falling series has a negative slope.
  assert.equal(slopePerHour([100, 101, 102, 103], 10), 360);
  assert.equal(slopePerHour([103, 102, 101, 100], 10), -360);
  assert.equal(slopePerHour([7, 7, 7], 10), 0);
  assert.equal(slopePerHour([7], 10), 0);
});
