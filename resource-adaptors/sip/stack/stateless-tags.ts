import { randomBytes } from 'node:crypto';

/** FNV-1a over `text`, from a keyed starting state. */
function fnv1a(state: number, text: string): number {
  let h = state;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * RFC 3261 §8.2.7: a stateless UAS gives every retransmission of a request
 * the same To tag. The tag is a hash of the top Via branch and Call-ID,
 * keyed by a secret of this process; the ACK for a non-2xx repeats both
 * (§17.1.1.3), so the ACK for one of our stateless refusals is known by its
 * tag alone. Not a MAC: forging one only ever gets an ACK dropped.
 */
export class StatelessTags {
  private readonly keys: [number, number];

  constructor(secret: Buffer = randomBytes(8)) {
    this.keys = [secret.readUInt32BE(0), secret.readUInt32BE(4)];
  }

  tagFor(branch: string, callId: string): string {
    const text = `${branch}\n${callId}`;
    return `${fnv1a(this.keys[0], text).toString(36)}${fnv1a(this.keys[1], text).toString(36)}`;
  }
}
