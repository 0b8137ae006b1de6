import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SipStack } from '../../../resource-adaptors/sip/stack/index.js';
import type { Dialog, DialogTerminationReason } from '../../../resource-adaptors/sip/dialog/index.js';
import { freePort, listeningOn, runSipp, sippSkipReason } from './sipp-runner.js';
import { assertAllSucceeded, loopbackStacks } from './loopback-stacks.js';

const startStack = loopbackStacks();

const skip = sippSkipReason();
const SDP = 'v=0\r\no=sleet 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n';

/** A Sleet UA answering every INVITE 200 with SDP; the dialogs it created and how they ended. */
function answerCalls(stack: SipStack): { dialogs: Dialog[]; ended: DialogTerminationReason[]; endedAt: number[] } {
  const dialogs: Dialog[] = [];
  const ended: DialogTerminationReason[] = [];
  const endedAt: number[] = [];
  stack.setRequestHandler((request, tx) => {
    if (request.method !== 'INVITE') return false;
    const dialog = stack.dialogs.uasDialog(tx);
    dialogs.push(dialog);
    dialog.on('terminated', (reason) => {
      ended.push(reason);
      endedAt.push(Date.now());
    });
    dialog.respond(tx, 200, { body: SDP, contentType: 'application/sdp' });
    return true;
  });
  return { dialogs, ended, endedAt };
}

describe('session timers and UPDATE with SIPp (RFC 4028, RFC 3311)', { skip }, () => {
  it('SIPp UAC asks for 90;refresher=uac and refreshes with UPDATE: Sleet grants it in the 200 and the 200 to the UPDATE', async () => {
    const { stack, port } = await startStack({ sessionTimers: {} });
    const calls = answerCalls(stack);
    const run = await runSipp({ scenario: { file: 'uac-timer-refresh.xml' }, remote: `127.0.0.1:${port}`, port: await freePort(), calls: 1 });
    assertAllSucceeded(run, 1, 'uac');
    const dialog = calls.dialogs[0]!;
    assert.equal(dialog.sessionTimer?.interval, 90);
    assert.equal(dialog.sessionTimer?.refresher, 'remote');
    assert.deepEqual(calls.ended, ['remote-bye']);
  });

  it('SIPp UAC that never refreshes a 4 s session: Sleet sends BYE when it expires and the dialog ends with session-expired', async () => {
    const { stack, port } = await startStack({ sessionTimers: { sessionExpires: 4, minSE: 4, allowShortMinSE: true } });
    const calls = answerCalls(stack);
    const started = Date.now();
    const run = await runSipp({ scenario: { file: 'uac-timer-silent.xml' }, remote: `127.0.0.1:${port}`, port: await freePort(), calls: 1, keys: { se: '4' } });
    assertAllSucceeded(run, 1, 'uac');
    assert.deepEqual(calls.ended, ['session-expired']);
    // §10: BYE at 4 - min(32, 4/3) = 2.67 s after the 200, not before.
    assert.ok(calls.endedAt[0]! - started >= 2600, `ended after ${calls.endedAt[0]! - started} ms`);
  });

  it('a proxy relays an UPDATE (and its Session-Expires) along the record-routed route set between two SIPp instances', async () => {
    const { stack, port } = await startStack({ role: 'proxy' });
    const uasPort = await freePort();
    stack.setRequestHandler((_request, tx) => {
      stack.proxy.proxyTo(tx, [{ uri: `sip:service@127.0.0.1:${uasPort}` }], { recordRoute: true });
      return true;
    });
    const uas = runSipp({ scenario: { file: 'uas-rr-update.xml' }, port: uasPort, calls: 1 });
    await listeningOn(uasPort, false);
    const uac = await runSipp({ scenario: { file: 'uac-rr-update.xml' }, remote: `127.0.0.1:${port}`, port: await freePort(), calls: 1 });
    assertAllSucceeded(uac, 1, 'uac');
    assertAllSucceeded(await uas, 1, 'uas');
  });
});
