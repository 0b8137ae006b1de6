import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AddressTexts } from '../../../resource-adaptors/sip/transport/address-texts.js';

describe('AddressTexts', () => {
  it('holds each address once, however often it is asked for', () => {
    const texts = new AddressTexts();
    for (let i = 0; i < 1000; i++) assert.equal(texts.of(['127.0.0.', String(i % 3)].join('')), `127.0.0.${i % 3}`);
    assert.equal(texts.size, 3);
  });

  it('never holds more than its limit, whatever the sources', () => {
    const texts = new AddressTexts(16);
    for (let i = 0; i < 1000; i++) {
      assert.equal(texts.of(`10.0.${i >> 8}.${i & 255}`), `10.0.${i >> 8}.${i & 255}`);
      assert.ok(texts.size <= 16);
    }
  });
});
