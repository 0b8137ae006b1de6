import 'reflect-metadata';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { PresenceAgentSbb } from '../../examples/presence/src/index.js';
import { freePort, runSipp, sippSkipReason } from '../sip/interop/sipp-runner.js';
import { startSipSlee } from '../sip/ra/sip-ra-fixture.js';

const DOMAIN = 'example.com';

/** A SLEE with the presence agent on a free UDP port, and a way to run a SIPp scenario against it for bob's presence. */
async function presenceDomain(t: TestContext) {
  const port = await freePort();
  const { slee } = await startSipSlee(t, { port, transports: 'udp', domains: DOMAIN }, PresenceAgentSbb);
  const run = async (file: string, keys: Record<string, string> = {}) =>
    runSipp({ scenario: { file }, port: await freePort(), remote: `127.0.0.1:${port}`, calls: 1, service: 'bob', keys: { domain: DOMAIN, ...keys } });
  return { slee, run };
}

const ok = (run: { exitCode: number | null; errors: string }, who: string) => assert.equal(run.exitCode, 0, `${who}: ${run.errors}`);

test(
  'presence: a watcher gets the offline document, the published one, a refresh, the expiry of the publication, and a terminated NOTIFY on unsubscribe',
  { skip: sippSkipReason() },
  async (t) => {
    const { slee, run } = await presenceDomain(t);
    const watcher = run('presence-watcher.xml');
    await new Promise((r) => setTimeout(r, 700));
    const publisher = await run('presence-publisher.xml', { expires: '3' });
    ok(publisher, 'PUBLISH 200 with SIP-ETag, refresh with SIP-If-Match 200, stale entity tag 412');
    ok(await watcher, 'the watcher saw closed, open, the refresh, closed again on expiry, and terminated');
    await slee.idle();
    assert.equal(slee.kernel.entities.size, 0, 'with no watcher and no publication left, the presentity entity is gone');
  },
);

test('presence: a subscription nobody refreshes ends with NOTIFY terminated;reason=timeout', { skip: sippSkipReason() }, async (t) => {
  const { slee, run } = await presenceDomain(t);
  ok(await run('presence-watch-expiry.xml'), 'the notifier ended the subscription at its expiry');
  await slee.idle();
  assert.equal(slee.kernel.entities.size, 0);
});

test('presence: a SUBSCRIBE for a package no SBB declared gets 489 Bad Event with Allow-Events', { skip: sippSkipReason() }, async (t) => {
  const { run } = await presenceDomain(t);
  ok(await run('presence-bad-event.xml'), '489 with Allow-Events: presence');
});
