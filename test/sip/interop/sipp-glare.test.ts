import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SipStack } from '../../../resource-adaptors/sip/stack/index.js';
import type { SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { freePort, runSipp, sippSkipReason } from './sipp-runner.js';

const skip = sippSkipReason();
const stacks: SipStack[] = [];

after(async () => {
  await Promise.all(stacks.map((s) => s.close()));
});

describe('RFC 3261 §14 re-INVITE glare against SIPp over loopback UDP', { skip }, () => {
  it('crossed re-INVITEs: Sleet answers 491 itself, retries its own within 2 s, then takes the peer’s retry', async () => {
    const stack = new SipStack({ role: 'ua', listen: [{ transport: 'UDP', host: '127.0.0.1', port: 0 }] });
    stacks.push(stack);
    const [lp] = await stack.start();
    const outcomes: number[] = [];
    const reinvites: SipRequest[] = [];
    let byes = 0;
    stack.setRequestHandler((request, tx) => {
      if (request.method !== 'INVITE') return false;
      const dialog = stack.dialogs.uasDialog(tx);
      dialog.once('ack', () => dialog.sendRequest('INVITE', { onResponse: (r) => outcomes.push(r.status) }));
      dialog.on('request', (reinvite, reTx) => {
        reinvites.push(reinvite);
        dialog.respond(reTx, 200);
      });
      dialog.on('bye', () => byes++);
      dialog.respond(tx, 200);
      return true;
    });
    const run = await runSipp({ scenario: { file: 'uac-glare.xml' }, remote: `127.0.0.1:${lp!.port}`, port: await freePort(), calls: 1 });
    assert.equal(run.exitCode, 0, `exit code (errors: ${run.errors})`);
    assert.equal(run.successful, 1);
    assert.deepEqual(outcomes, [200]);
    assert.deepEqual(
      reinvites.map((r) => r.cseq.seq),
      [3],
    );
    assert.equal(byes, 1);
    assert.equal(stack.dialogs.size, 0);
  });
});
