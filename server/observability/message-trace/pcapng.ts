import { isIP } from 'node:net';

/**
 * pcap-ng (draft-ietf-opsawg-pcapng) blocks for a SIP message trace: one
 * section header, one interface of link type RAW (IPv4 and IPv6 packets
 * without a link layer), and an enhanced packet per message whose IP and
 * UDP headers are synthesised from the message's addresses, so that
 * Wireshark decodes the payload as SIP. Little-endian, as the section
 * header's byte-order magic says.
 */
const LINKTYPE_RAW = 101;
const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const EPB = 0x00000006;
const OPT_COMMENT = 1;

/** The file's first blocks: a section header and the one interface. */
export function pcapngHeader(): Buffer {
  const shb = Buffer.alloc(28);
  shb.writeUInt32LE(SHB, 0);
  shb.writeUInt32LE(28, 4);
  shb.writeUInt32LE(0x1a2b3c4d, 8);
  shb.writeUInt16LE(1, 12);
  shb.writeUInt16LE(0, 14);
  shb.writeBigInt64LE(-1n, 16); // section length not given
  shb.writeUInt32LE(28, 24);
  const idb = Buffer.alloc(20);
  idb.writeUInt32LE(IDB, 0);
  idb.writeUInt32LE(20, 4);
  idb.writeUInt16LE(LINKTYPE_RAW, 8);
  idb.writeUInt32LE(0, 12); // no snap length
  idb.writeUInt32LE(20, 16);
  return Buffer.concat([shb, idb]);
}

export interface TracedPacket {
  /** Epoch microseconds (the default interface time resolution). */
  readonly timeMicros: bigint;
  readonly sourceAddress: string;
  readonly sourcePort: number;
  readonly destinationAddress: string;
  readonly destinationPort: number;
  readonly payload: Buffer;
  /** Shown by Wireshark as the packet comment (the real transport, when not UDP). */
  readonly comment?: string;
}

/** An enhanced packet block holding the message in a synthesised IP/UDP packet. */
export function pcapngPacket(packet: TracedPacket): Buffer {
  const data = ipUdpPacket(packet);
  const comment = packet.comment === undefined ? undefined : Buffer.from(packet.comment, 'utf8');
  const options = comment === undefined ? Buffer.alloc(0) : Buffer.concat([optionHeader(OPT_COMMENT, comment.length), pad(comment), Buffer.alloc(4)]);
  const length = 28 + padded(data.length) + options.length + 4;
  const block = Buffer.alloc(length);
  block.writeUInt32LE(EPB, 0);
  block.writeUInt32LE(length, 4);
  block.writeUInt32LE(0, 8); // interface 0
  block.writeUInt32LE(Number(packet.timeMicros >> 32n), 12);
  block.writeUInt32LE(Number(packet.timeMicros & 0xffffffffn), 16);
  block.writeUInt32LE(data.length, 20);
  block.writeUInt32LE(data.length, 24);
  data.copy(block, 28);
  options.copy(block, 28 + padded(data.length));
  block.writeUInt32LE(length, length - 4);
  return block;
}

/** Longest payload a synthesised UDP datagram holds; a longer message (over TCP) is cut there. */
const MAX_PAYLOAD = 65_535 - 48;

function ipUdpPacket(packet: TracedPacket): Buffer {
  const payload = packet.payload.length > MAX_PAYLOAD ? packet.payload.subarray(0, MAX_PAYLOAD) : packet.payload;
  const v6 = isIP(packet.sourceAddress) === 6 || isIP(packet.destinationAddress) === 6;
  const source = addressBytes(packet.sourceAddress, v6);
  const destination = addressBytes(packet.destinationAddress, v6);
  const udp = Buffer.alloc(8 + payload.length);
  udp.writeUInt16BE(packet.sourcePort, 0);
  udp.writeUInt16BE(packet.destinationPort, 2);
  udp.writeUInt16BE(udp.length, 4);
  payload.copy(udp, 8);
  const pseudo = v6
    ? Buffer.concat([source, destination, u32(udp.length), Buffer.from([0, 0, 0, 17])])
    : Buffer.concat([source, destination, Buffer.from([0, 17]), u16(udp.length)]);
  udp.writeUInt16BE(checksum(Buffer.concat([pseudo, udp])) || 0xffff, 6);
  if (v6) {
    const ip = Buffer.alloc(40);
    ip.writeUInt32BE(0x60000000, 0);
    ip.writeUInt16BE(udp.length, 4);
    ip[6] = 17;
    ip[7] = 64;
    source.copy(ip, 8);
    destination.copy(ip, 24);
    return Buffer.concat([ip, udp]);
  }
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + udp.length, 2);
  ip[8] = 64;
  ip[9] = 17;
  source.copy(ip, 12);
  destination.copy(ip, 16);
  ip.writeUInt16BE(checksum(ip), 10);
  return Buffer.concat([ip, udp]);
}

/** An address as 4 or 16 bytes; what is not an IP address of the family (a host name) is the unspecified address. */
function addressBytes(address: string, v6: boolean): Buffer {
  const plain = address.replace(/^\[|\]$/g, '');
  const family = isIP(plain);
  if (!v6) return family === 4 ? Buffer.from(plain.split('.').map(Number)) : Buffer.alloc(4);
  if (family === 4) return Buffer.concat([Buffer.alloc(10), Buffer.from([0xff, 0xff]), Buffer.from(plain.split('.').map(Number))]);
  if (family !== 6) return Buffer.alloc(16);
  const [head = '', tail = ''] = plain.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const bytes = Buffer.alloc(16);
  all.forEach((g, i) => bytes.writeUInt16BE(parseInt(g, 16), i * 2));
  return bytes;
}

/** The Internet checksum (RFC 1071). */
export function checksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < data.length; i += 2) sum += data.readUInt16BE(i);
  if (data.length % 2 === 1) sum += data[data.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function optionHeader(code: number, length: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16LE(code, 0);
  b.writeUInt16LE(length, 2);
  return b;
}

function padded(n: number): number {
  return (n + 3) & ~3;
}

function pad(data: Buffer): Buffer {
  return data.length % 4 === 0 ? data : Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n, 0);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}
