import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Dialog } from '../../../resource-adaptors/sip/dialog/index.js';
import type { SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { answer, incoming, stackHarness } from './stack-harness.js';

describe('UPDATE (RFC 3311)', () => {
  it('reaches an early UAS dialog, which answers it and takes the new Contact as remote target', () => {
    const h = stackHarness();
    let dialog: Dialog | undefined;
    h.stack.setRequestHandler((request, tx) => {
      if (request.method !== 'INVITE') return false;
      h.stack.dialogs.answer(tx, 180);
      dialog = h.stack.dialogs.uasDialog(tx);
      return true;
    });
    h.transport.inject(incoming());
    const ringing = h.transport.responses(180)[0]!;
    const seen: SipRequest[] = [];
    dialog!.on('request', (request, tx) => {
      seen.push(request);
      dialog!.respond(tx, 200);
    });
    h.transport.inject(incoming({ method: 'UPDATE', branch: 'z9hG4bKup1', cseq: 2, toTag: ringing.to.tag!, extra: 'Allow: INVITE, UPDATE\n' }).clone());
    const update = incoming({ method: 'UPDATE', branch: 'z9hG4bKup2', cseq: 3, toTag: ringing.to.tag! });
    update.set('Contact', '<sip:alice@127.0.0.3:5071>');
    h.transport.inject(update);
    assert.deepEqual(
      seen.map((r) => r.cseq.seq),
      [2, 3],
    );
    assert.deepEqual(
      h.transport
        .responses()
        .filter((r) => r.cseq.method === 'UPDATE')
        .map((r) => r.status),
      [200, 200],
    );
    assert.equal(dialog!.state, 'early');
    assert.equal(dialog!.remoteTarget.toString(), 'sip:alice@127.0.0.3:5071');
  });

  it('answers 481 to an UPDATE for no dialog, with or without a To tag', () => {
    const h = stackHarness();
    const handled: string[] = [];
    h.stack.setRequestHandler((request) => {
      handled.push(request.method);
      return false;
    });
    h.transport.inject(incoming({ method: 'UPDATE', toTag: 'nosuch' }));
    h.transport.inject(incoming({ method: 'UPDATE', branch: 'z9hG4bKup9' }));
    assert.deepEqual(
      h.transport.responses().map((r) => r.status),
      [481, 481],
    );
    assert.deepEqual(handled, []);
  });

  it('is sent by a confirmed UAC dialog with the next CSeq, and its 2xx refreshes the remote target', () => {
    const h = stackHarness();
    const invite = h.stack.createInvite({ to: 'sip:bob@127.0.0.9:5080', from: 'sip:alice@127.0.0.1' });
    const call = h.stack.invite(invite);
    const sent = h.transport.requests('INVITE')[0]!;
    h.transport.inject(answer(sent, 200, 'b1', { Contact: '<sip:bob@127.0.0.9:5090>' }));
    const statuses: number[] = [];
    call.dialog!.sendRequest('UPDATE', { onResponse: (r) => statuses.push(r.status) });
    const update = h.transport.requests('UPDATE')[0]!;
    assert.equal(update.cseq.seq, sent.cseq.seq + 1);
    assert.equal(update.uri.toString(), 'sip:bob@127.0.0.9:5090');
    assert.ok(update.get('Contact'));
    h.transport.inject(answer(update, 200, 'b1', { Contact: '<sip:bob@127.0.0.12:5099>' }));
    assert.deepEqual(statuses, [200]);
    assert.equal(call.dialog!.remoteTarget.toString(), 'sip:bob@127.0.0.12:5099');
  });
});
