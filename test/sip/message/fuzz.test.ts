import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { parseMessage, SipRequest, StreamFramer, validateRequest } from '../../../resource-adaptors/sip/message/index.js';
import { mutate, prng } from './mutate.js';
import { INVALID, PARSES, torture, VALID } from './torture-fixtures.js';

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
