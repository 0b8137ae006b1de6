import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sipHash24, sipHashKey, sipHashTextBase64url } from '../../../resource-adaptors/sip/proxy/sip-hash.js';

/** SipHash-2-4 over 64-bit BigInts, written from the paper's definition: slow and plain, to check the fast one. */
function reference(key: Buffer, bytes: Buffer): bigint {
  const mask = (1n << 64n) - 1n;
  const rotl = (x: bigint, b: bigint) => ((x << b) | (x >> (64n - b))) & mask;
  const k0 = key.readBigUInt64LE(0);
  const k1 = key.readBigUInt64LE(8);
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = () => {
    v0 = (v0 + v1) & mask;
    v1 = rotl(v1, 13n) ^ v0;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & mask;
    v3 = rotl(v3, 16n) ^ v2;
    v0 = (v0 + v3) & mask;
    v3 = rotl(v3, 21n) ^ v0;
    v2 = (v2 + v1) & mask;
    v1 = rotl(v1, 17n) ^ v2;
    v2 = rotl(v2, 32n);
  };
  const padded = Buffer.alloc(bytes.length - (bytes.length % 8) + 8);
  bytes.copy(padded);
  padded[padded.length - 1] = bytes.length & 0xff;
  for (let i = 0; i < padded.length; i += 8) {
    const m = padded.readBigUInt64LE(i);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  v2 ^= 0xffn;
  for (let i = 0; i < 4; i++) round();
  return v0 ^ v1 ^ v2 ^ v3;
}

const KEY = Buffer.from([...Array(16).keys()]);

function hashOf(key: Buffer, bytes: Buffer): bigint {
  return sipHash24(sipHashKey(key), bytes.toString('latin1')).readBigUInt64LE(0);
}

test("SipHash-2-4 gives the reference implementation's test vectors (key 00..0f, message 00..n-1)", () => {
  const vectors: Array<[number, bigint]> = [
    [0, 0x726fdb47dd0e0e31n],
    [1, 0x74f839c593dc67fdn],
    [7, 0xab0200f58b01d137n],
    [8, 0x93f5f5799a932462n],
    [15, 0xa129ca6149be45e5n],
    [16, 0x3f2acc7f57c29bdbn],
    [63, 0x958a324ceb064572n],
  ];
  for (const [length, expected] of vectors) {
    assert.equal(hashOf(KEY, Buffer.from([...Array(length).keys()])), expected, `message of ${length} bytes`);
  }
});

test('SipHash-2-4 agrees with a plain 64-bit implementation on random keys and messages of every length up to 80', () => {
  for (let length = 0; length <= 80; length++) {
    for (let i = 0; i < 5; i++) {
      const key = randomBytes(16);
      const bytes = randomBytes(length);
      assert.equal(hashOf(key, bytes), reference(key, bytes), `${length} bytes, key ${key.toString('hex')}, message ${bytes.toString('hex')}`);
    }
  }
});

test('SipHash reads bytes: a character above 0xff is refused; text is hashed as its UTF-8 bytes, ASCII as it is', () => {
  const key = sipHashKey(KEY);
  assert.throws(() => sipHash24(key, 'branch\u0100'), RangeError);
  assert.throws(() => sipHash24(key, '\u2028'.repeat(9)), RangeError);
  const base64url = (bytes: Buffer) => bytes.toString('base64url');
  assert.equal(sipHashTextBase64url(key, 'z9hG4bK.1a'), base64url(sipHash24(key, 'z9hG4bK.1a')));
  assert.equal(sipHashTextBase64url(key, 'caf\u00e9\u20ac'), base64url(sipHash24(key, Buffer.from('caf\u00e9\u20ac', 'utf8').toString('latin1'))));
  assert.notEqual(sipHashTextBase64url(key, 'caf\u00e9'), base64url(sipHash24(key, 'caf\u00e9')), 'é is two bytes in UTF-8, one in latin1');
  assert.throws(() => sipHashKey(Buffer.alloc(8)), RangeError);
});

test("sipHashTextBase64url is the base64url of SipHash's 8 bytes over the text's UTF-8, for ASCII and non-ASCII text and every byte value", () => {
  for (let i = 0; i < 400; i++) {
    const key = sipHashKey(randomBytes(16));
    const ascii = Buffer.from(randomBytes(i % 90).map((b) => 0x20 + (b % 0x5f))).toString('latin1');
    const text = i % 3 === 0 ? `${ascii}\u00e9\u20ac\u{1f600}` : ascii;
    assert.equal(sipHashTextBase64url(key, text), sipHash24(key, Buffer.from(text, 'utf8').toString('latin1')).toString('base64url'), JSON.stringify(text));
  }
});
