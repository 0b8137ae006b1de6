import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** A SIP message never starts with NUL: a datagram that does is a handoff frame. */
const MAGIC = Buffer.from([0x00, 0x53, 0x4c, 0x57]); // NUL 'S' 'L' 'W'
const TOKEN_BYTES = 16;
const HEADER_BYTES = MAGIC.length + TOKEN_BYTES + 1;
const CRLF = 0x0a;

/** The workers of one node: each reads the shared UDP port and owns a port of its own (see docs/performance.md). */
export interface WorkerSet {
  /** This worker's index in `ports`. */
  readonly index: number;
  /** Every worker's own UDP port, by index. */
  readonly ports: readonly number[];
  /** Authenticates handoff frames between the workers; every worker has the same (derived from the route secret). */
  readonly key: Buffer;
}

/** A datagram handed over by a sibling: what it read on the shared port, and from whom. */
interface HandedOver {
  readonly data: Buffer;
  readonly address: string;
  readonly port: number;
}

/**
 * Steers what arrives on the shared port to the worker that owns it, by
 * Call-ID hash, so that a retransmission, the CANCEL and the ACK of a
 * non-2xx meet their transaction whichever worker the kernel woke. The
 * frame carries the original source, so the owner answers it straight
 * from the shared socket; frames are taken only from a sibling's port on
 * this host and with the workers' token.
 */
export class WorkerHandoff {
  readonly index: number;
  readonly ports: readonly number[];
  private readonly token: Buffer;

  constructor(set: WorkerSet) {
    this.index = set.index;
    this.ports = set.ports;
    this.token = createHmac('sha256', set.key).update('sleet worker handoff').digest().subarray(0, TOKEN_BYTES);
  }

  get ownPort(): number {
    return this.ports[this.index]!;
  }

  /** The index of the worker whose Call-ID this is; this worker's own when there is none to read. */
  ownerOf(data: Buffer): number {
    const callId = callIdOf(data);
    return callId === undefined ? this.index : fnv1a(callId) % this.ports.length;
  }

  isFrame(data: Buffer): boolean {
    return data.length >= HEADER_BYTES && data[0] === 0 && data.subarray(0, MAGIC.length).equals(MAGIC);
  }

  frame(data: Buffer, address: string, port: number): Buffer {
    const source = Buffer.from(`${address} ${port}`, 'latin1');
    return Buffer.concat([MAGIC, this.token, Buffer.from([source.length]), source, data]);
  }

  /** The datagram a sibling handed over, or undefined when the frame is not one (wrong sender, token or form). */
  unframe(frame: Buffer, fromAddress: string, fromPort: number, localAddress: string): HandedOver | undefined {
    if (!this.ports.includes(fromPort) || !isThisHost(fromAddress, localAddress)) return undefined;
    if (!timingSafeEqual(frame.subarray(MAGIC.length, MAGIC.length + TOKEN_BYTES), this.token)) return undefined;
    const length = frame[HEADER_BYTES - 1]!;
    if (frame.length < HEADER_BYTES + length) return undefined;
    const [address, port] = frame.toString('latin1', HEADER_BYTES, HEADER_BYTES + length).split(' ');
    const portNumber = Number(port);
    if (address === undefined || isIP(address) === 0 || !Number.isInteger(portNumber) || portNumber <= 0 || portNumber > 65535) return undefined;
    return { data: frame.subarray(HEADER_BYTES + length), address, port: portNumber };
  }
}

/** Loopback, or the address the worker is bound to (a sibling sending from it). */
function isThisHost(address: string, localAddress: string): boolean {
  return address === localAddress || address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** The Call-ID header's value (long or compact form, any case), read from the raw header section without parsing it. */
function callIdOf(data: Buffer): string | undefined {
  let end = data.indexOf('\r\n\r\n');
  if (end === -1) end = data.length;
  let line = data.indexOf(CRLF) + 1;
  while (line > 0 && line < end) {
    let next = data.indexOf(CRLF, line);
    if (next === -1 || next > end) next = end;
    const first = data[line]! | 0x20;
    // Only lines starting c or i can name the header: no string is made for the others.
    if (first === 0x63 || first === 0x69) {
      const colon = data.indexOf(0x3a, line);
      if (colon !== -1 && colon < next) {
        const name = data.toString('latin1', line, colon).trim().toLowerCase();
        if (name === 'call-id' || name === 'i') return data.toString('latin1', colon + 1, next).trim();
      }
    }
    line = next + 1;
  }
  return undefined;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
