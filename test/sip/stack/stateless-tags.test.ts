import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatelessTags } from '../../../resource-adaptors/sip/stack/stateless-tags.js';

function ack(toTag: string): Buffer {
  return Buffer.from(
    [
      'ACK sip:bob@127.0.0.1 SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1',
      'From: <sip:alice@test>;tag=a1',
      `To: <sip:bob@test>;tag=${toTag}`,
      'Call-ID: tags-1@test',
      'CSeq: 1 ACK',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
    'latin1',
  );
}

test('a stateless To tag is the same for a retransmission and differs for another branch or Call-ID (RFC 3261 §8.2.7)', () => {
  const tags = new StatelessTags();
  const tag = tags.tagFor('z9hG4bK-1', 'tags-1@test');
  assert.equal(tags.tagFor('z9hG4bK-1', 'tags-1@test'), tag);
  assert.notEqual(tags.tagFor('z9hG4bK-2', 'tags-1@test'), tag);
  assert.notEqual(tags.tagFor('z9hG4bK-1', 'tags-2@test'), tag);
  assert.notEqual(new StatelessTags().tagFor('z9hG4bK-1', 'tags-1@test'), tag, 'keyed by a secret of the process');
});

test("an ACK carrying one of our tags may hold it; one with a UAS's own tag is told apart without reading its head", () => {
  const tags = new StatelessTags();
  assert.equal(tags.mayHoldTag(ack(tags.tagFor('z9hG4bK-1', 'tags-1@test'))), true);
  assert.equal(tags.mayHoldTag(ack(tags.tagFor('z9hG4bK-other', 'another@test'))), true, 'any tag of ours is a candidate');
  assert.equal(tags.mayHoldTag(ack('54321SIPpTag011')), false);
  assert.equal(tags.mayHoldTag(ack(new StatelessTags().tagFor('z9hG4bK-1', 'tags-1@test'))), false, "another process's tag is not ours");
});
