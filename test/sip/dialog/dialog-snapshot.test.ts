import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Dialog, DialogSnapshot } from '../../../resource-adaptors/sip/dialog/index.js';
import { RESTORED_CSEQ_STEP } from '../../../resource-adaptors/sip/dialog/dialog.js';
import type { SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { buildResponse } from '../../../resource-adaptors/sip/dialog/index.js';
import { answer, incoming, stackHarness } from './stack-harness.js';

/** A UAS dialog confirmed on one stack (record-routed, a re-INVITE moved its target), and its snapshot through JSON. */
function confirmedUas() {
  const h = stackHarness();
  let dialog: Dialog | undefined;
  h.stack.setRequestHandler((request, tx) => {
    dialog = h.stack.dialogs.uasDialog(tx);
    dialog.respond(tx, 200);
    return true;
  });
  h.transport.inject(incoming({ cseq: 4, extra: 'Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>\n' }));
  const tag = h.transport.responses(200)[0]!.to.tag!;
  h.transport.inject(incoming({ method: 'ACK', branch: 'z9hG4bKack1', cseq: 4, toTag: tag }));
  const d = dialog!;
  d.on('request', (_request, tx) => d.respond(tx, 200));
  const reinvite = incoming({ branch: 'z9hG4bKre', cseq: 5, toTag: tag });
  reinvite.set('Contact', '<sip:alice@127.0.0.3:5071>');
  h.transport.inject(reinvite);
  d.sendRequest('INFO');
  const snapshot = JSON.parse(JSON.stringify(d.snapshot())) as DialogSnapshot;
  return { ...h, dialog: d, tag, snapshot };
}

describe('dialog snapshot and restore', () => {
  it('keeps what identifies and routes the dialog, as plain JSON', () => {
    const { snapshot, tag, transport } = confirmedUas();
    const info = transport.requests('INFO')[0]!;
    assert.deepEqual(snapshot, {
      role: 'uas',
      callId: 'c1@127.0.0.2',
      localTag: tag,
      remoteTag: 'alice1',
      localUri: '<sip:bob@127.0.0.1>',
      remoteUri: '<sip:alice@127.0.0.2>',
      remoteTarget: 'sip:alice@127.0.0.3:5071',
      routeSet: ['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>'],
      secure: false,
      localSeq: info.cseq.seq,
      remoteSeq: 5,
    });
  });

  it('a restored dialog takes the BYE another stack would have: 200, bye, terminated', () => {
    const { snapshot, tag } = confirmedUas();
    const other = stackHarness();
    const restored = other.stack.dialogs.restore(snapshot);
    assert.equal(restored.state, 'confirmed');
    assert.equal(restored.id, `c1@127.0.0.2|${tag}|alice1`);
    assert.equal(other.stack.dialogs.restore(snapshot), restored, 'restoring twice gives the dialog held');
    const byes: SipRequest[] = [];
    restored.on('bye', (bye) => byes.push(bye));
    other.transport.inject(incoming({ method: 'BYE', branch: 'z9hG4bKbye', cseq: 6, toTag: tag }));
    assert.equal(other.transport.responses().find((r) => r.cseq.method === 'BYE')!.status, 200);
    assert.equal(byes.length, 1);
    assert.equal(restored.state, 'terminated');
    assert.equal(other.stack.dialogs.size, 0);
  });

  it('a restored dialog refuses a request its first owner had already seen (CSeq order kept)', () => {
    const { snapshot, tag } = confirmedUas();
    const other = stackHarness();
    other.stack.dialogs.restore(snapshot);
    other.transport.inject(incoming({ method: 'BYE', branch: 'z9hG4bKold', cseq: 5, toTag: tag }));
    assert.equal(other.transport.responses()[0]!.status, 500);
  });

  it('requests from a restored dialog follow its route set and target, with a CSeq above any its first owner sent', () => {
    const { snapshot, tag } = confirmedUas();
    const other = stackHarness();
    const restored = other.stack.dialogs.restore(snapshot);
    restored.bye();
    const bye = other.transport.requests('BYE')[0]!;
    assert.equal(bye.uri.toString(), 'sip:alice@127.0.0.3:5071');
    assert.deepEqual(bye.getAll('Route'), ['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>']);
    assert.equal(bye.from.tag, tag);
    assert.equal(bye.to.tag, 'alice1');
    assert.equal(bye.callId, 'c1@127.0.0.2');
    assert.equal(bye.cseq.seq, snapshot.localSeq! + RESTORED_CSEQ_STEP + 1);
    assert.equal(other.transport.sent.find((s) => s.message === bye)!.target!.host, 'p2.example.com');
  });

  it('a UAC dialog restores with its reversed route set and its local CSeq moved on', () => {
    const h = stackHarness();
    const invite = h.stack.createInvite({ to: 'sip:bob@127.0.0.9:5080', from: 'sip:alice@127.0.0.1' });
    const call = h.stack.invite(invite);
    const sent = h.transport.requests('INVITE')[0]!;
    h.transport.inject(
      answer(sent, 200, 'b1', { Contact: '<sip:bob@127.0.0.9:5090>', 'Record-Route': ['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>'] }),
    );
    const snapshot = JSON.parse(JSON.stringify(call.dialog!.snapshot())) as DialogSnapshot;
    const other = stackHarness();
    const restored = other.stack.dialogs.restore(snapshot);
    assert.equal(restored.role, 'uac');
    restored.sendRequest('INFO');
    const info = other.transport.requests('INFO')[0]!;
    assert.equal(info.uri.toString(), 'sip:bob@127.0.0.9:5090');
    assert.deepEqual(info.getAll('Route'), ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    assert.equal(info.cseq.seq, sent.cseq.seq + RESTORED_CSEQ_STEP + 1);
    assert.equal(info.from.tag, sent.from.tag);
  });

  it('an in-dialog request for no dialog goes to the unknown-dialog hook when it takes it; 481 when it does not', () => {
    const { stack, transport } = stackHarness();
    const taken: SipRequest[] = [];
    stack.onUnknownDialog = (request, tx) => {
      taken.push(request);
      tx.respond(buildResponse(request, 200));
      return true;
    };
    transport.inject(incoming({ method: 'BYE', toTag: 'elsewhere' }));
    assert.equal(taken.length, 1);
    stack.onUnknownDialog = () => false;
    transport.inject(incoming({ method: 'BYE', branch: 'z9hG4bKno', toTag: 'nosuch' }));
    assert.deepEqual(
      transport.responses().map((r) => r.status),
      [200, 481],
    );
  });
});
