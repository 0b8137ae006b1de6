import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessage, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { loopHash } from '../../../resource-adaptors/sip/proxy/index.js';

function invite(extra: string[] = []): SipRequest {
  const lines = [
    'INVITE sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9',
    'Max-Forwards: 70',
    'From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl',
    'To: Bob <sip:bob@biloxi.example.com>',
    'Call-ID: 3848276298220188511@atlanta.example.com',
    'CSeq: 2 INVITE',
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ];
  return parseMessage(Buffer.from(lines.join('\r\n'))) as SipRequest;
}

const REQUIRES = ['Proxy-Require: foo, bar', 'Proxy-Require: baz', 'Proxy-Authorization: Digest username="alice", realm="atlanta.example.com"'];
const ROUTES = ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>'];

describe('loop hash', () => {
  it('is the value the release before computed, so that a loop through nodes of both releases is still one', () => {
    // Computed by b526dac, whose loop hash joined a list of parts.
    assert.equal(loopHash(invite(), []), 'MELKz8hdcGe39Itn');
    assert.equal(loopHash(invite(REQUIRES), ROUTES), 'NSpVrD13wRAy8rUw');
  });

  it('changes with Proxy-Require, Proxy-Authorization and the foreign Route set', () => {
    const base = loopHash(invite(), []);
    assert.notEqual(loopHash(invite(['Proxy-Require: foo']), []), base);
    assert.notEqual(loopHash(invite(['Proxy-Authorization: Digest username="alice"']), []), base);
    assert.notEqual(loopHash(invite(), ['<sip:p1.example.com;lr>']), base);
    assert.notEqual(loopHash(invite(['Proxy-Require: foo', 'Proxy-Require: bar']), []), loopHash(invite(['Proxy-Require: foo']), []));
  });
});
