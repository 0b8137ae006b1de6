import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SleetError } from '../../../slee/errors/sleet-error.js';
import { parseMessage, SipRequest, StreamFramer, validateRequest } from '../../../resource-adaptors/sip/message/index.js';
import { INVALID, PARSES, torture, VALID } from './torture-fixtures.js';

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = Buffer.from('\r\n \t:;,"<>\\%@=?/\x00\xff0');

function mutate(data: Buffer, random: () => number): Buffer {
  const out = Buffer.from(data);
  const edits = 1 + Math.floor(random() * 4);
  let result = out;
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * result.length);
    const choice = random();
    if (choice < 0.4) result[at] = INTERESTING[Math.floor(random() * INTERESTING.length)];
    else if (choice < 0.6) result[at] = Math.floor(random() * 256);
    else if (choice < 0.8) result = result.subarray(0, at);
    else result = Buffer.concat([result.subarray(0, at), result.subarray(at, at + 40), result.subarray(at)]);
  }
  return result;
}

/** Everything a caller might do with untrusted input: only SleetErrors may escape. */
function exercise(data: Buffer): void {
  try {
    const message = parseMessage(data);
    message.toBuffer();
    if (message instanceof SipRequest) {
      validateRequest(message);
      void message.uri;
    }
    for (const read of [() => message.vias, () => message.contacts, () => message.routes, () => message.expires]) {
      try {
        read();
      } catch (err) {
        if (!SleetError.is(err)) throw err;
      }
    }
  } catch (err) {
    if (!SleetError.is(err)) throw err;
  }
  const framer = new StreamFramer();
  try {
    for (let i = 0; i < data.length; i += 97) framer.push(data.subarray(i, i + 97));
  } catch (err) {
    if (!SleetError.is(err)) throw err;
  }
}

describe('fuzz', () => {
  const corpus = [...VALID, ...PARSES, ...INVALID].map(torture);

  it('mutated torture messages only ever raise SleetErrors', () => {
    const random = prng(4475);
    for (let i = 0; i < 4000; i++) {
      const input = mutate(corpus[i % corpus.length], random);
      assert.doesNotThrow(() => exercise(input), `input #${i}: ${JSON.stringify(input.toString('latin1'))}`);
    }
  });

  it('every truncation of every torture message only raises SleetErrors', () => {
    for (const data of corpus) {
      for (let end = 0; end <= data.length; end += 3) assert.doesNotThrow(() => exercise(data.subarray(0, end)));
    }
  });

  it('random bytes only raise SleetErrors', () => {
    const random = prng(3261);
    for (let i = 0; i < 1000; i++) {
      const input = Buffer.alloc(Math.floor(random() * 300), 0);
      for (let j = 0; j < input.length; j++) input[j] = Math.floor(random() * 256);
      assert.doesNotThrow(() => exercise(Buffer.concat([Buffer.from('INVITE sip:a@b SIP/2.0\r\n'), input])));
      assert.doesNotThrow(() => exercise(input));
    }
  });
});
