import assert from 'node:assert/strict';
import crypto from 'node:crypto';
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

  it("costs no HMAC for a request from the dialog's initiator once its token was issued here (its From tag matches first)", () => {
    assert.deepEqual(
      hmacs(() => tokens.verifies(token, inDialog('ACK', 'alice1', 'b'))),
      { result: true, count: 0 },
    );
  });

  it('costs one for a request from the other side (its own tag is computed, the To tag is remembered), and for a token that matches neither', () => {
    assert.deepEqual(
      hmacs(() => tokens.verifies(token, inDialog('BYE', 'b', 'alice1'))),
      { result: true, count: 1 },
    );
    const forged = `${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}`;
    assert.deepEqual(
      hmacs(() => tokens.verifies(forged, inDialog('BYE', 'alice1', 'b'))),
      { result: false, count: 1 },
    );
  });

  it('verifies a token another node issued with the same secret by computing it (one HMAC), and one issued here that has been forgotten', () => {
    const other = new RouteTokens(secret);
    assert.deepEqual(
      hmacs(() => other.verifies(token, inDialog('ACK', 'alice1', 'b'))),
      { result: true, count: 1 },
    );
    const small = new RouteTokens(secret, 2);
    const first = small.issue(incoming({ fromTag: 'first' }));
    small.issue(incoming({ fromTag: 'second' }));
    const third = small.issue(incoming({ fromTag: 'third' }));
    assert.deepEqual(
      hmacs(() => small.verifies(first, inDialog('ACK', 'first', 'b'))),
      { result: true, count: 1 },
    );
    assert.deepEqual(
      hmacs(() => small.verifies(third, inDialog('ACK', 'third', 'b'))),
      { result: true, count: 0 },
    );
  });

  it('remembers the last tokens issued, however many came before, and verifies each of them without an HMAC', () => {
    const ring = new RouteTokens(secret, 3);
    const issued = Array.from({ length: 10 }, (_, i) => ring.issue(incoming({ fromTag: `caller${i}` })));
    for (const [i, token] of issued.entries()) {
      assert.deepEqual(
        hmacs(() => ring.verifies(token, inDialog('ACK', `caller${i}`, 'b'))),
        { result: true, count: i >= 7 ? 0 : 1 },
        `token ${i}`,
      );
      assert.equal(ring.verifies(issued[(i + 1) % 10], inDialog('ACK', `caller${i}`, 'b')), false, `token ${i}: another dialog's token is refused`);
    }
  });

  it("costs the proxy one HMAC for the INVITE (its token), none for the caller's ACK (the token was issued on the INVITE) nor for the BYE (branches are signed with SipHash)", () => {
    const h = stackHarness({ role: 'proxy', proxy: { routeSecret: secret } });
    h.stack.setRequestHandler((_request, tx) => {
      h.stack.proxy.proxyTo(tx, [{ uri: 'sip:bob@127.0.0.9:5080' }]);
      return true;
    });
    assert.equal(hmacs(() => h.transport.inject(incoming())).count, 1);
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
