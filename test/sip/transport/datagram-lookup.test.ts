import assert from 'node:assert/strict';
import { test } from 'node:test';
import { datagramLookup } from '../../../resource-adaptors/sip/transport/datagram-lookup.js';

test('an IP literal is its own address, answered before the call returns: dgram then sends without waiting a tick', () => {
  const answers: unknown[][] = [];
  datagramLookup('127.0.0.1', 4, (...args: unknown[]) => answers.push(args));
  datagramLookup('::1', 6, (...args: unknown[]) => answers.push(args));
  assert.deepEqual(answers, [
    [null, '127.0.0.1', 4],
    [null, '::1', 6],
  ]);
});

test('a name goes to the system resolver', async () => {
  const answer = await new Promise<unknown[]>((resolve) => datagramLookup('localhost', 4, (...args: unknown[]) => resolve(args)));
  assert.equal(answer[0], null);
  assert.equal(answer[2], 4);
  assert.match(String(answer[1]), /^127\./);
});
