import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHeapSampling, stopHeapSampling } from '../../bench/sip-load/heap-sampling.js';

const kept: unknown[] = [];

function makeManyMaps(): void {
  for (let i = 0; i < 20_000; i++) kept.push(new Map([[i, i]]));
}

test('a built-in that allocates is named with the function that called it: "Map" alone cannot tell the Via parser from the SLEE', async () => {
  await startHeapSampling();
  makeManyMaps();
  const reading = await stopHeapSampling(50);
  kept.length = 0;
  const site = reading.sites.find((s) => s.site.startsWith('Map ← makeManyMaps '));
  assert.ok(site, `sites: ${reading.sites.map((s) => s.site).join(', ')}`);
  assert.match(site.site, /heap-sampling\.test\.js:\d+$/);
  assert.equal(
    reading.sites.some((s) => s.site === 'Map :0'),
    false,
    'no built-in is left without its caller',
  );
});
