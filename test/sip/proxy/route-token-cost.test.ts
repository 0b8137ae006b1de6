import assert from 'node:assert/strict';
import crypto, { createHmac } from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { describe, it } from 'node:test';
import { RouteTokens } from '../../../resource-adaptors/sip/proxy/index.js';
import { incoming, stackHarness } from '../dialog/stack-harness.js';

/** How many HMACs `fn` computes: node:crypto's createHmac counted for its duration (the ESM bindings follow the module object). */
function hmacs(fn: () => unknown): { result: unknown; count: number } {
  const original = crypto.createHmac;
  let count = 0;
  crypto.createHmac = ((...args: Parameters<typeof original>) => {
    count++;
    return original(...args);
  }) as typeof original;
  syncBuiltinESMExports();
  try {
    return { result: fn(), count };
  } finally {
    crypto.createHmac = original;
    syncBuiltinESMExports();
  }
}

const secret = Buffer.alloc(32, 7);
const inDialog = (method: string, fromTag: string, toTag: string, extra = '') =>
  incoming({ method, uri: 'sip:bob@127.0.0.9:5080', fromTag, toTag, cseq: 2, branch: `z9hG4bK${method}${fromTag}`, extra });

describe('route token verification cost', () => {
  const tokens = new RouteTokens(secret);
  const token = tokens.issue(incoming());

  it('costs no HMAC to issue a token, to verify it in either direction, or to refuse a forged one', () => {
    assert.deepEqual(
      hmacs(() => tokens.issue(incoming({ fromTag: 'carol1' }))),
      { result: tokens.issue(incoming({ fromTag: 'carol1' })), count: 0 },
    );
    assert.equal(Buffer.from(token, 'base64url').length, 8, '64 bits of SipHash');
    assert.deepEqual(
      hmacs(() => tokens.verifies(token, inDialog('ACK', 'alice1', 'b'))),
      { result: true, count: 0 },
    );
    assert.deepEqual(
      hmacs(() => tokens.verifies(token, inDialog('BYE', 'b', 'alice1'))),
      { result: true, count: 0 },
    );
    const forged = `${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}`;
    assert.deepEqual(
      hmacs(() => tokens.verifies(forged, inDialog('BYE', 'alice1', 'b'))),
      { result: false, count: 0 },
    );
  });

  it('verifies a token another node issued with the same secret, and refuses it under another secret or in another dialog', () => {
    assert.equal(new RouteTokens(secret).verifies(token, inDialog('ACK', 'alice1', 'b')), true);
    assert.equal(new RouteTokens(Buffer.alloc(32, 8)).verifies(token, inDialog('ACK', 'alice1', 'b')), false);
    assert.equal(tokens.verifies(token, inDialog('ACK', 'mallory', 'b')), false);
    assert.equal(tokens.verifies(tokens.issue(incoming({ fromTag: 'carol1' })), inDialog('ACK', 'alice1', 'b')), false);
  });

  it('verifies a token of the release before SipHash (16 bytes of HMAC-SHA-256) in either direction, so dialogs go on through an upgrade, and refuses other lengths', () => {
    const ack = inDialog('ACK', 'alice1', 'b');
    const earlier = createHmac('sha256', secret).update(`${ack.callId}\nalice1`).digest().subarray(0, 16).toString('base64url');
    assert.deepEqual(
      hmacs(() => tokens.verifies(earlier, ack)),
      { result: true, count: 1 },
    );
    assert.equal(tokens.verifies(earlier, inDialog('BYE', 'b', 'alice1')), true);
    assert.equal(tokens.verifies(earlier, inDialog('BYE', 'b', 'mallory')), false);
    assert.equal(tokens.verifies(Buffer.from(earlier, 'base64url').subarray(0, 12).toString('base64url'), ack), false);
  });

  it("costs the proxy no HMAC for the INVITE, the caller's ACK or the BYE: tokens and branch signatures are SipHash", () => {
    const h = stackHarness({ role: 'proxy', proxy: { routeSecret: secret } });
    h.stack.setRequestHandler((_request, tx) => {
      h.stack.proxy.proxyTo(tx, [{ uri: 'sip:bob@127.0.0.9:5080' }]);
      return true;
    });
    assert.equal(hmacs(() => h.transport.inject(incoming())).count, 0);
    const route = h.transport.requests('INVITE')[0]!.get('Record-Route')!;
    const ack = inDialog('ACK', 'alice1', 'b', `Route: ${route}\n`);
    const bye = inDialog('BYE', 'alice1', 'b', `Route: ${route}\n`);
    assert.equal(hmacs(() => h.transport.inject(ack)).count, 0);
    assert.equal(hmacs(() => h.transport.inject(bye)).count, 0);
    assert.equal(h.transport.requests('ACK').length, 1);
    assert.equal(h.transport.requests('BYE').length, 1);
  });

  it('forwards an ACK on an unsigned branch (nothing answers an ACK) that still carries the loop hash and is the same for a retransmission', () => {
    const h = stackHarness({ role: 'proxy', proxy: { routeSecret: secret } });
    h.stack.setRequestHandler((_request, tx) => {
      h.stack.proxy.proxyTo(tx, [{ uri: 'sip:bob@127.0.0.9:5080' }]);
      return true;
    });
    h.transport.inject(incoming());
    const route = h.transport.requests('INVITE')[0]!.get('Record-Route')!;
    h.transport.inject(inDialog('ACK', 'alice1', 'b', `Route: ${route}\n`));
    h.transport.inject(inDialog('ACK', 'alice1', 'b', `Route: ${route}\n`));
    const [first, again] = h.transport.requests('ACK').map((r) => r.topVia!.branch!);
    assert.equal(first, again);
    assert.match(first!, /^z9hG4bK[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{10}$/);
    // Its loop comes back as one: the loop hash in the branch is what §16.3 checks.
    const looped = h.transport.requests('ACK')[0]!.clone();
    const top = looped.topVia!;
    top.host = '127.0.0.1';
    top.port = 5060;
    looped.setTopVia(top);
    assert.equal(h.stack.proxy.validate(looped)?.status, 482);
  });
});
