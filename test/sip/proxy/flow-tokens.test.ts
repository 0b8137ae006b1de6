import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowTokens } from '../../../resource-adaptors/sip/proxy/flow-tokens.js';
import type { MessageSource } from '../../../resource-adaptors/sip/transport/transport-types.js';

const SECRET = Buffer.alloc(32, 7);
const tcp: MessageSource = { transport: 'TCP', remoteAddress: '192.0.2.1', remotePort: 40123, localAddress: '127.0.0.1', localPort: 5060, connectionId: 42 };

test('a flow token names the connection it was issued for, and only under the key that signed it', () => {
  const tokens = new FlowTokens(SECRET);
  const token = tokens.issue(tcp);
  assert.match(token, /^[\w-]+\.[\w-]+$/, 'fits the user part of a SIP URI');
  assert.deepEqual(tokens.open(token), { transport: 'TCP', remoteAddress: '192.0.2.1', remotePort: 40123, connectionId: 42 });
  assert.equal(new FlowTokens(Buffer.alloc(32, 8)).open(token), undefined, 'another key');
  const [payload, mac] = token.split('.');
  const forged = Buffer.from(Buffer.from(payload!, 'base64url').toString().replace(' 42 ', ' 43 ')).toString('base64url');
  assert.equal(tokens.open(`${forged}.${mac}`), undefined, 'another connection under the same signature');
  assert.equal(tokens.open('not-a-token'), undefined);
});

test('a UDP flow is the peer address and port, with no connection', () => {
  const tokens = new FlowTokens(SECRET);
  const udp: MessageSource = { transport: 'UDP', remoteAddress: '::1', remotePort: 5070, localAddress: '::1', localPort: 5060 };
  assert.deepEqual(tokens.open(tokens.issue(udp)), { transport: 'UDP', remoteAddress: '::1', remotePort: 5070 });
});

test('a short secret is refused', () => {
  assert.throws(() => new FlowTokens(Buffer.alloc(16)), /at least 32 bytes/);
});
