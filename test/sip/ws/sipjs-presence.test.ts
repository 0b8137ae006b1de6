import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Publisher, Subscriber, SubscriptionState, UserAgent, type Notification } from 'sip.js';
import { startDemoNode } from '../../node/demo-node.js';
import { freePort } from '../interop/sipp-runner.js';
import { registeredSipJsUser } from './sipjs-ua.js';

const PIDF = (entity: string, basic: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="${entity}"><tuple id="sipjs"><status><basic>${basic}</basic></status></tuple></presence>\n`;

/** Resolves with the body of the next NOTIFY that matches, rejecting after a while with what came instead. */
function nextNotify(bodies: string[], matching: RegExp, ms = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const found = bodies.find((b) => matching.test(b));
      if (found !== undefined) {
        clearInterval(poll);
        resolve(found);
      } else if (Date.now() - started > ms) {
        clearInterval(poll);
        reject(new Error(`no NOTIFY matching ${matching} in ${ms} ms; got:\n${bodies.join('\n---\n')}`));
      }
    }, 20);
  });
}

/**
 * SIP.js's Publisher and Subscriber over WebSocket against the presence
 * example on a demo node: both authenticated with digest (PUBLISH and
 * SUBSCRIBE are challenged 407), the NOTIFYs reaching bob's `.invalid`
 * contact over his WebSocket.
 */
describe('SIP.js presence over WebSocket through the demo presence agent', () => {
  it('bob watches alice: closed, then what alice publishes, then terminated when he unsubscribes', async (t) => {
    const wsPort = await freePort();
    await startDemoNode(t, { sipWsPort: wsPort, digestAlgorithms: 'MD5' });
    const server = `ws://127.0.0.1:${wsPort}`;
    const alice = await registeredSipJsUser({ server, user: 'alice', domain: '127.0.0.1', password: 'alice-secret' });
    t.after(() => alice.stop());
    const bob = await registeredSipJsUser({ server, user: 'bob', domain: '127.0.0.1', password: 'bob-secret' });
    t.after(() => bob.stop());

    const bodies: string[] = [];
    const subscriber = new Subscriber(bob.ua, UserAgent.makeURI('sip:alice@127.0.0.1')!, 'presence', { expires: 120 });
    subscriber.delegate = {
      onNotify: (notification: Notification) => {
        bodies.push(`${notification.request.getHeader('Subscription-State')}\n${notification.request.body}`);
        void notification.accept();
      },
    };
    await subscriber.subscribe();
    await nextNotify(bodies, /^active;expires=\d+\n[\s\S]*<basic>closed<\/basic>/);

    const publisher = new Publisher(alice.ua, UserAgent.makeURI('sip:alice@127.0.0.1')!, 'presence', { expires: 60, contentType: 'application/pidf+xml' });
    await publisher.publish(PIDF('sip:alice@127.0.0.1', 'open'));
    await nextNotify(bodies, /<tuple id="sipjs"><status><basic>open<\/basic>/).catch((err: Error) =>
      Promise.reject(new Error(`${err.message}\nalice:\n${alice.trace.join('\n')}`)),
    );

    const ended = new Promise<void>((resolve) => subscriber.stateChange.addListener((state) => state === SubscriptionState.Terminated && resolve()));
    await subscriber.unsubscribe();
    await ended;
    // SIP.js ends the subscription on the terminated NOTIFY without handing it to the delegate: the trace shows it.
    await nextNotify(bob.trace, /^NOTIFY sip:[\s\S]*Subscription-State: terminated/m);
    assert.ok(
      bob.trace.some((m) => /^SIP\/2\.0 407 /m.test(m)),
      `bob's SUBSCRIBE was challenged:\n${bob.trace.join('\n')}`,
    );
    assert.ok(
      alice.trace.some(
        (m) => /^SIP\/2\.0 200 OK[\s\S]*CSeq: \d+ PUBLISH[\s\S]*SIP-ETag: /m.test(m) || /^SIP\/2\.0 200 OK[\s\S]*SIP-ETag: [\s\S]*CSeq: \d+ PUBLISH/m.test(m),
      ),
      'alice got an entity tag',
    );
    await publisher.unpublish();
  });
});
