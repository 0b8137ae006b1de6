import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { upperCase } from '../../../resource-adaptors/sip/message/lexical.js';

describe('lexical helpers', () => {
  it('upperCase is toUpperCase, for ASCII and for characters whose upper case differs in length or script', () => {
    for (const text of ['', 'UDP', 'udp', 'Tcp', 'SIP/2.0', 'sip/2.0', 'wss', 'a', 'z', '`{@[', 'ß', 'ﬁ', 'µ', 'ÿ', 'straße', 'ǅ', 'İ', 'ı', 'ς', 'Ω']) {
      assert.equal(upperCase(text), text.toUpperCase(), JSON.stringify(text));
    }
  });
});
