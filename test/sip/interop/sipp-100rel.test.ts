import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SipRequest, SipResponse } from '../../../resource-adaptors/sip/message/index.js';
import { freePort, listeningOn, runSipp, sippSkipReason } from './sipp-runner.js';
import { assertAllSucceeded, loopbackStacks } from './loopback-stacks.js';

const startStack = loopbackStacks();

const skip = sippSkipReason();
const SDP = 'v=0\r\no=sleet 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n';

describe('RFC 3262 (100rel, PRACK) against SIPp over loopback UDP', { skip }, () => {
  it('SIPp uac requiring 100rel -> SipStack UAS: reliable 183, PRACK answered 200, then 200 to the INVITE, ACK and BYE', async () => {
    const { stack, port } = await startStack({ role: 'ua' });
    const pracks: SipRequest[] = [];
    let byes = 0;
    stack.setRequestHandler((request, tx) => {
      if (request.method !== 'INVITE') return false;
      const dialog = stack.dialogs.uasDialog(tx);
      dialog.on('prack', (prack) => {
        pracks.push(prack);
        dialog.respond(tx, 200, { body: SDP, contentType: 'application/sdp' });
      });
      dialog.on('bye', () => byes++);
      dialog.respond(tx, 183, { reliable: true, body: SDP, contentType: 'application/sdp' });
      return true;
    });
    const run = await runSipp({ scenario: { file: 'uac-100rel.xml' }, remote: `127.0.0.1:${port}`, port: await freePort(), calls: 2 });
    assertAllSucceeded(run, 2, 'uac');
    assert.equal(pracks.length, 2);
    assert.equal(byes, 2);
    assert.equal(stack.dialogs.size, 0);
  });

  it('SipStack UAC -> SIPp uas sending a reliable 183: Sleet PRACKs it with RAck 1 1 INVITE, then ACKs the 200 and hangs up', async () => {
    const { stack } = await startStack({ role: 'ua' });
    const uasPort = await freePort();
    const uas = runSipp({ scenario: { file: 'uas-100rel.xml' }, port: uasPort, calls: 1 });
    await listeningOn(uasPort, false);
    const prackAnswers: number[] = [];
    const call = stack.invite(stack.createInvite({ to: `sip:service@127.0.0.1:${uasPort}`, body: SDP, contentType: 'application/sdp' }));
    call.on('provisional', (_response, dialog) => {
      dialog?.on('response', (response: SipResponse, request) => {
        if (request.method === 'PRACK') prackAnswers.push(response.status);
      });
    });
    const confirmed = new Promise<void>((resolve, reject) => {
      call.on('success', (_response, dialog) => {
        setTimeout(() => {
          dialog.bye();
          resolve();
        }, 100);
      });
      call.on('failure', (response) => reject(new Error(`INVITE failed with ${response.status}`)));
    });
    // Without the PRACK the SIPp uas never answers and gives up (its -timeout): fail then, rather than wait forever.
    assert.equal(await Promise.race([confirmed.then(() => 'confirmed'), uas.then(() => 'uas ended first')]), 'confirmed');
    assertAllSucceeded(await uas, 1, 'uas');
    assert.deepEqual(prackAnswers, [200]);
  });

  it('SIPp uac -> proxy (record-route) -> SIPp uas: the reliable 183, its PRACK and the 200 to the PRACK are relayed along the route set', async () => {
    const { stack, port } = await startStack({ role: 'proxy' });
    const uasPort = await freePort();
    const finals: number[] = [];
    stack.setRequestHandler((_request, tx) => {
      stack.proxy.proxyTo(tx, [{ uri: `sip:service@127.0.0.1:${uasPort}` }], { recordRoute: true }).on('completed', (r) => finals.push(r.status));
      return true;
    });
    const uas = runSipp({ scenario: { file: 'uas-100rel-rr.xml' }, port: uasPort, calls: 2 });
    await listeningOn(uasPort, false);
    const uac = await runSipp({ scenario: { file: 'uac-100rel.xml' }, remote: `127.0.0.1:${port}`, port: await freePort(), calls: 2 });
    assertAllSucceeded(uac, 2, 'uac');
    assertAllSucceeded(await uas, 2, 'uas');
    assert.deepEqual(finals, [200, 200]);
  });
});
