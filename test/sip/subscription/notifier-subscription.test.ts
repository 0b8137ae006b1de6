import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NotifierSubscription, parsePublish } from '../../../resource-adaptors/sip/subscription/index.js';
import { parseMessage, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import type { ServerTransaction } from '../../../resource-adaptors/sip/transaction/index.js';
import { answer, incoming, stackHarness } from '../dialog/stack-harness.js';

const parse = <T>(text: string): T => parseMessage(Buffer.from(text.replace(/\n/g, '\r\n'))) as T;

const PIDF = '<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:bob@127.0.0.1"/>';

/** A stack that accepts every SUBSCRIBE, and one subscriber's SUBSCRIBE sent to it. */
function notifier(extra = 'Event: presence\nExpires: 600\n') {
  const h = stackHarness();
  const subscriptions: NotifierSubscription[] = [];
  h.stack.setRequestHandler((request: SipRequest, tx: ServerTransaction) => {
    subscriptions.push(NotifierSubscription.accept(h.stack.dialogs, tx, { maxExpires: 900, body: PIDF, contentType: 'application/pidf+xml' }));
    return true;
  });
  h.transport.inject(incoming({ method: 'SUBSCRIBE', extra }));
  const sub = subscriptions[0]!;
  const toTag = h.transport.responses(200)[0]!.to.tag!;
  const inDialog = (cseq: number, headers: string) => incoming({ method: 'SUBSCRIBE', cseq, toTag, branch: `z9hG4bKr${cseq}`, extra: headers });
  let answered = 0;
  /** The subscriber's 200 to each NOTIFY sent so far (else Timer F ends the subscription as request-failed). */
  const ackNotifies = () => {
    for (const notify of h.transport.requests('NOTIFY').slice(answered)) h.transport.inject(answer(notify, 200));
    answered = h.transport.requests('NOTIFY').length;
  };
  return { ...h, sub, toTag, inDialog, ackNotifies };
}

describe('NotifierSubscription (RFC 6665, notifier side)', () => {
  it('answers 200 with the granted Expires and sends the first NOTIFY at once, with the state body', () => {
    const { transport, sub, toTag } = notifier('Event: presence;id=7\nExpires: 7200\n');
    const ok = transport.responses(200)[0]!;
    assert.equal(ok.get('Expires'), '900', 'cut down to maxExpires');
    assert.ok(ok.get('Contact'), 'a dialog-creating 2xx carries Contact');
    assert.equal(sub.dialog.state, 'confirmed');
    const notify = transport.requests('NOTIFY')[0]!;
    assert.equal(notify.get('Event'), 'presence;id=7');
    assert.equal(notify.get('Subscription-State'), 'active;expires=900');
    assert.equal(notify.from.tag, toTag);
    assert.equal(notify.uri.toString(), 'sip:alice@127.0.0.2:5070', 'to the subscriber Contact');
    assert.equal(notify.get('Content-Type'), 'application/pidf+xml');
    assert.equal(notify.body.toString(), PIDF);
  });

  it('answers a refresh with 200 and the new expiry, re-sends the state, and moves the expiry', () => {
    const { transport, sub, clock, inDialog, ackNotifies } = notifier();
    const refreshed: number[] = [];
    sub.on('refreshed', (expires) => refreshed.push(expires));
    ackNotifies();
    clock.advance(500_000);
    transport.inject(inDialog(2, 'Event: presence\nExpires: 600\n'));
    assert.equal(transport.responses(200)[1]!.get('Expires'), '600');
    assert.deepEqual(refreshed, [600]);
    const notifies = transport.requests('NOTIFY');
    assert.equal(notifies.length, 2);
    assert.equal(notifies[1]!.get('Subscription-State'), 'active;expires=600');
    assert.equal(notifies[1]!.body.toString(), PIDF, 'the last state again');
    ackNotifies();
    clock.advance(599_000);
    assert.equal(sub.state, 'active', 'the refresh moved the expiry');
  });

  it('on expiry sends NOTIFY terminated;reason=timeout with the last state and ends the dialog', () => {
    const { transport, sub, clock, stack, ackNotifies } = notifier();
    const ended: string[] = [];
    sub.on('terminated', (reason) => ended.push(reason));
    sub.notify({ body: PIDF.replace('/>', '><tuple id="t"/></presence>'), contentType: 'application/pidf+xml' });
    ackNotifies();
    clock.advance(599_000);
    assert.equal(sub.expires, 1);
    clock.advance(1000);
    const last = transport.requests('NOTIFY').at(-1)!;
    assert.equal(last.get('Subscription-State'), 'terminated;reason=timeout');
    assert.match(last.body.toString(), /tuple/);
    assert.deepEqual(ended, ['timeout']);
    assert.equal(sub.dialog.state, 'terminated');
    assert.equal(stack.dialogs.size, 0);
    assert.throws(() => sub.notify(), /has ended/);
  });

  it('unsubscribes on Expires: 0 with a terminating NOTIFY; a refresh for another package gets 489', () => {
    const { transport, sub, inDialog } = notifier();
    const ended: string[] = [];
    sub.on('terminated', (reason) => ended.push(reason));
    transport.inject(inDialog(2, 'Event: dialog\nExpires: 600\n'));
    assert.equal(transport.responses(489)[0]!.get('Allow-Events'), 'presence');
    transport.inject(inDialog(3, 'Event: presence\nExpires: 0\n'));
    assert.equal(transport.responses(200)[1]!.get('Expires'), '0');
    assert.equal(transport.requests('NOTIFY').at(-1)!.get('Subscription-State'), 'terminated;reason=timeout');
    assert.deepEqual(ended, ['unsubscribed']);
  });

  it('ends when a NOTIFY gets 481 (the subscriber forgot it), and with terminate(reason)', () => {
    const first = notifier();
    const ended: string[] = [];
    first.sub.on('terminated', (reason) => ended.push(reason));
    first.transport.inject(answer(first.transport.requests('NOTIFY')[0]!, 481));
    assert.deepEqual(ended, ['request-failed']);
    const second = notifier();
    second.sub.terminate('deactivated');
    assert.equal(second.transport.requests('NOTIFY').at(-1)!.get('Subscription-State'), 'terminated;reason=deactivated');
    assert.equal(second.sub.isTerminated, true);
  });

  it('refuses to make a subscription of anything but a SUBSCRIBE with an Event header', () => {
    const h = stackHarness();
    const errors: unknown[] = [];
    h.stack.setRequestHandler((_request, tx) => {
      try {
        NotifierSubscription.accept(h.stack.dialogs, tx);
      } catch (err) {
        errors.push(err);
        return false;
      }
      return true;
    });
    h.transport.inject(incoming({ method: 'SUBSCRIBE' }));
    assert.match(String(errors[0]), /SUBSCRIBE with an Event header/);
  });
});

describe('parsePublish (RFC 3903 §4)', () => {
  const publish = (headers: string, body = '') =>
    parse<SipRequest>(
      `PUBLISH sip:bob@127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bKp\nMax-Forwards: 70\nFrom: <sip:bob@127.0.0.1>;tag=p\nTo: <sip:bob@127.0.0.1>\n` +
        `Call-ID: p1\nCSeq: 1 PUBLISH\n${headers}Content-Length: ${body.length}\n\n${body}`,
    );
  it('tells initial, refresh, modify and remove apart, and refuses what is none of them', () => {
    assert.equal(parsePublish(publish('Event: presence\nContent-Type: application/pidf+xml\n', PIDF)).kind, 'initial');
    assert.equal(parsePublish(publish('Event: presence\nSIP-If-Match: e1\nExpires: 60\n')).kind, 'refresh');
    assert.equal(parsePublish(publish('Event: presence\nSIP-If-Match: e1\nContent-Type: application/pidf+xml\n', PIDF)).kind, 'modify');
    assert.equal(parsePublish(publish('Event: presence\nSIP-If-Match: e1\nExpires: 0\n')).kind, 'remove');
    assert.deepEqual(parsePublish(publish('Event: presence\n')), { kind: 'invalid', status: 400, reason: 'Bad Request - initial PUBLISH without a body' });
    assert.equal((parsePublish(publish('')) as { status: number }).status, 489);
  });
});
