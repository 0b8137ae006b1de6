import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SipStack } from '../../../resource-adaptors/sip/stack/index.js';
import type { ProxyContext } from '../../../resource-adaptors/sip/proxy/index.js';
import { freePort, listeningOn, runSipp, sippSkipReason } from './sipp-runner.js';
import { assertAllSucceeded, loopbackStacks } from './loopback-stacks.js';

const startStack = loopbackStacks();

const skip = sippSkipReason();
const SDP = 'v=0\r\no=sleet 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n';

/** A proxy that forwards every new request to `targets`, record-routing; returns what it finally sent upstream. */
function proxyTo(stack: SipStack, targets: string[]): number[] {
  const finals: number[] = [];
  stack.setRequestHandler((_request, tx) => {
    const ctx: ProxyContext = stack.proxy.proxyTo(
      tx,
      targets.map((uri) => ({ uri })),
      { recordRoute: true },
    );
    ctx.on('completed', (response) => finals.push(response.status));
    return true;
  });
  return finals;
}

describe('SIPp interop over loopback', { skip }, () => {
  for (const transport of ['UDP', 'TCP'] as const) {
    const tcp = transport === 'TCP';
    const param = tcp ? ';transport=tcp' : '';

    it(`SIPp uac -> SipStack UAS (${transport})`, async () => {
      const { stack, port } = await startStack({ role: 'ua' }, transport);
      let byes = 0;
      stack.setRequestHandler((request, tx) => {
        if (request.method !== 'INVITE') return false;
        const dialog = stack.dialogs.uasDialog(tx);
        dialog.on('bye', () => byes++);
        dialog.respond(tx, 200, { body: SDP, contentType: 'application/sdp' });
        return true;
      });
      const run = await runSipp({ scenario: { builtin: 'uac' }, remote: `127.0.0.1:${port}`, port: await freePort(), calls: 3, tcp });
      assertAllSucceeded(run, 3, 'uac');
      assert.equal(byes, 3);
      assert.equal(stack.dialogs.size, 0);
    });

    it(`SIPp uac -> proxy (record-route) -> SIPp uas, ACK and BYE routed back (${transport})`, async () => {
      const { stack, port } = await startStack({ role: 'proxy' }, transport);
      const uasPort = await freePort();
      const finals = proxyTo(stack, [`sip:service@127.0.0.1:${uasPort}${param}`]);
      const uas = runSipp({ scenario: { file: 'uas-rr.xml' }, port: uasPort, calls: 3, tcp });
      await listeningOn(uasPort, tcp);
      const uac = await runSipp({ scenario: { file: 'uac-rr.xml' }, remote: `127.0.0.1:${port}`, port: await freePort(), calls: 3, tcp });
      assertAllSucceeded(uac, 3, 'uac');
      assertAllSucceeded(await uas, 3, 'uas');
      // The BYEs reach the uas along the route set (proxy.route), not through the handler.
      assert.deepEqual(finals, [200, 200, 200]);
    });
  }

  it('CANCEL while the SipStack UAS rings: 200 for the CANCEL, 487 for the INVITE (UDP)', async () => {
    const { stack, port } = await startStack({ role: 'ua' }, 'UDP');
    stack.setRequestHandler((request, tx) => {
      if (request.method !== 'INVITE') return false;
      stack.dialogs.answer(tx, 180);
      return true;
    });
    const cancelled: string[] = [];
    stack.dialogs.on('cancel', (invite, _cancel, dialog) => {
      cancelled.push(`${invite.state}/${dialog?.state}`);
    });
    const uac = await runSipp({ scenario: { file: 'uac-cancel.xml' }, remote: `127.0.0.1:${port}`, port: await freePort(), calls: 2 });
    assertAllSucceeded(uac, 2, 'uac');
    assert.deepEqual(cancelled, ['Completed/terminated', 'Completed/terminated']);
  });

  it('forked call: one uas answers, the ringing one is CANCELed (UDP)', async () => {
    const { stack, port } = await startStack({ role: 'proxy' }, 'UDP');
    const answerPort = await freePort();
    const ringPort = await freePort();
    const finals = proxyTo(stack, [`sip:service@127.0.0.1:${answerPort}`, `sip:service@127.0.0.1:${ringPort}`]);
    const ringer = runSipp({ scenario: { file: 'uas-ring.xml' }, port: ringPort, calls: 1 });
    // Let the ringing fork ring first, so the CANCEL is for a branch in progress.
    const answerer = runSipp({ scenario: { file: 'uas-rr.xml' }, port: answerPort, calls: 1 });
    const uac = await runSipp({ scenario: { file: 'uac-rr.xml' }, remote: `127.0.0.1:${port}`, port: await freePort(), calls: 1 });
    assertAllSucceeded(uac, 1, 'uac');
    assertAllSucceeded(await answerer, 1, 'answering uas');
    assertAllSucceeded(await ringer, 1, 'ringing uas');
    assert.deepEqual(finals, [200]);
  });
});
