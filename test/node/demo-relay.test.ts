import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { SipMessage, SipResponse } from '../../resource-adaptors/sip/message/index.js';
import { RelayPeer } from '../sbbs/relay-peer.js';
import { startDemoNode } from '../helpers/demo-node.js';

test('the demo node without --trusted relays nothing for a stranger: pre-loaded Route 403, To-tag without dialog 481', async (t) => {
  const { sipPort } = await startDemoNode(t, 'relay');
  const mallory = await RelayPeer.open('127.0.0.2');
  t.after(() => mallory.close());
  const listener = await RelayPeer.open('127.0.0.3');
  t.after(() => listener.close());
  const victim = `sip:victim@${listener.address}:${listener.port}`;

  const cases: Array<{ method: string; toTag?: string; route: boolean; status: number }> = [
    ...['INVITE', 'MESSAGE', 'OPTIONS'].map((method) => ({ method, route: true, status: 403 })),
    ...['INVITE', 'MESSAGE', 'BYE', 'NOTIFY'].flatMap((method) => [
      { method, toTag: 'x1', route: false, status: 481 },
      { method, toTag: 'x1', route: true, status: 481 },
    ]),
  ];
  for (const c of cases) {
    const callId = randomBytes(8).toString('hex');
    const text = [
      `${c.method} ${victim} SIP/2.0`,
      `Via: SIP/2.0/UDP ${mallory.address}:${mallory.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
      'Max-Forwards: 70',
      'From: <sip:mallory@attacker.example>;tag=m1',
      `To: <${victim}>${c.toTag === undefined ? '' : `;tag=${c.toTag}`}`,
      `Call-ID: ${callId}`,
      `CSeq: 1 ${c.method}`,
      `Contact: <sip:mallory@${mallory.address}:${mallory.port}>`,
      ...(c.route ? [`Route: <sip:127.0.0.1:${sipPort};lr>`] : []),
      ...(c.method === 'NOTIFY' ? ['Event: presence', 'Subscription-State: active'] : []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const from = mallory.received.length;
    mallory.send(text, sipPort);
    const what = `${c.method}${c.toTag === undefined ? '' : ' with a To-tag'}${c.route ? ' with a Route to the node' : ''}`;
    let response: SipResponse | undefined;
    try {
      response = await mallory.finalResponse(callId, c.method, 3000, from);
    } catch {
      response = undefined;
    }
    const heard = listener.received.map((m: SipMessage) => (m.isRequest ? 'request' : 'response'));
    assert.deepEqual(heard, [], `${what}: relayed to the listener`);
    assert.equal(response?.status, c.status, `${what}: ${response?.status} ${response?.reason}`);
  }
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(listener.received.length, 0, 'nothing reached the listener afterwards either');
});
