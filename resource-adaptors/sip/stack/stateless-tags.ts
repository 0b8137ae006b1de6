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
 *
 * Every tag starts with the same random marker, so that an ACK without it
 * (an admitted call's, after a refusal) is told apart by one byte search
 * instead of a read of its head.
 */
export class StatelessTags {
  private readonly keys: [number, number];
  private readonly marker: string;
  private readonly markerBytes: Buffer;

  constructor(secret: Buffer = randomBytes(13)) {
    this.keys = [secret.readUInt32BE(0), secret.readUInt32BE(4)];
    this.marker = secret.readUIntBE(8, 5).toString(36).padStart(8, '0');
    this.markerBytes = Buffer.from(this.marker, 'latin1');
  }

  tagFor(branch: string, callId: string): string {
    const text = `${branch}\n${callId}`;
    return `${this.marker}${fnv1a(this.keys[0], text).toString(36)}${fnv1a(this.keys[1], text).toString(36)}`;
  }

  /** False when `data` holds no tag of ours anywhere; true does not mean it does. */
  mayHoldTag(data: Buffer): boolean {
    return data.indexOf(this.markerBytes) !== -1;
  }
}
