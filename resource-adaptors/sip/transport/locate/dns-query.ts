import { createSocket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import type { NaptrRecord, SrvRecord } from 'node:dns';
import { ErrorCode } from '../../../../base/errors/error-codes.js';
import { SleetError } from '../../../../base/errors/sleet-error.js';
import { ipFamily } from '../ip-address.js';

/** RR types asked here: node's resolveSrv/resolveNaptr do not give the TTL a cache needs, so these two are asked on the wire. */
export const TYPE_SRV = 33;
export const TYPE_NAPTR = 35;
const TYPE_SOA = 6;

/** An answer with its lifetime: records and TTL in seconds, or an empty set with the negative TTL (RFC 2308) when the SOA gives one. */
export interface TimedAnswer<T> {
  records: T[];
  ttl: number | undefined;
}

/** 'a.b', 53 → the query message (RD set, one question, class IN). */
function encodeQuery(id: number, name: string, type: number): Buffer {
  const labels = name
    .split('.')
    .filter(Boolean)
    .map((label) => Buffer.from(label, 'ascii'));
  if (labels.some((l) => l.length > 63)) throw new SleetError(ErrorCode.SIP_DNS, `DNS label too long in ${name}`);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(type, 1);
  tail.writeUInt16BE(1, 3);
  return Buffer.concat([header, ...labels.flatMap((l) => [Buffer.from([l.length]), l]), tail]);
}

/** A reader over one DNS message; names may be compressed (RFC 1035 §4.1.4). */
class Reader {
  constructor(
    readonly buf: Buffer,
    public at = 0,
  ) {}

  u8(): number {
    return this.buf.readUInt8(this.at++);
  }
  u16(): number {
    const v = this.buf.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }
  u32(): number {
    const v = this.buf.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  text(): string {
    const length = this.u8();
    const s = this.buf.toString('latin1', this.at, this.at + length);
    this.at += length;
    return s;
  }
  name(): string {
    const labels: string[] = [];
    let at = this.at;
    let jumped = false;
    // Bounded, so a pointer loop in a hostile answer cannot spin.
    for (let hops = 0; hops < 64; hops++) {
      const length = this.buf.readUInt8(at);
      if (length === 0) {
        if (!jumped) this.at = at + 1;
        return labels.join('.');
      }
      if ((length & 0xc0) === 0xc0) {
        if (!jumped) this.at = at + 2;
        jumped = true;
        at = this.buf.readUInt16BE(at) & 0x3fff;
        continue;
      }
      labels.push(this.buf.toString('latin1', at + 1, at + 1 + length));
      at += 1 + length;
    }
    throw new SleetError(ErrorCode.SIP_DNS, 'DNS name with too many labels or pointers');
  }
}

type Parsed<T> = TimedAnswer<T> | 'truncated' | 'error';

/** The records of `type` in a response to query `id`, with the smallest TTL among them; NXDOMAIN and NODATA are empty answers. */
function decodeAnswer<T>(buf: Buffer, id: number, type: number, rdata: (r: Reader) => T): Parsed<T> | undefined {
  const r = new Reader(buf);
  if (r.u16() !== id) return undefined; // someone else's answer: keep waiting
  const flags = r.u16();
  if ((flags & 0x8000) === 0) return undefined;
  if (flags & 0x0200) return 'truncated';
  const rcode = flags & 0x0f;
  if (rcode !== 0 && rcode !== 3) return 'error';
  const [questions, answers, authority] = [r.u16(), r.u16(), r.u16()];
  r.u16();
  for (let i = 0; i < questions; i++) {
    r.name();
    r.at += 4;
  }
  const records: T[] = [];
  let ttl: number | undefined;
  for (let i = 0; i < answers + authority; i++) {
    r.name();
    const [rrType, , rrTtl, length] = [r.u16(), r.u16(), r.u32(), r.u16()];
    const end = r.at + length;
    if (i < answers && rrType === type) {
      records.push(rdata(r));
      ttl = Math.min(ttl ?? rrTtl, rrTtl);
    } else if (i >= answers && rrType === TYPE_SOA && records.length === 0) {
      // RFC 2308 §5: a negative answer lives min(SOA TTL, SOA minimum).
      r.name();
      r.name();
      r.at += 16;
      ttl = Math.min(rrTtl, r.u32());
    }
    r.at = end;
  }
  return { records, ttl };
}

const SRV = (r: Reader): SrvRecord => {
  const [priority, weight, port] = [r.u16(), r.u16(), r.u16()];
  return { priority, weight, port, name: r.name() };
};

const NAPTR = (r: Reader): NaptrRecord => {
  const [order, preference] = [r.u16(), r.u16()];
  const [flags, service, regexp] = [r.text(), r.text(), r.text()];
  return { order, preference, flags, service, regexp, replacement: r.name() };
};

/** 'host', 'host:port', '[v6]:port' or a bare IPv6 address (node's getServers forms). */
function serverAddress(server: string): { host: string; port: number } {
  const bracketed = /^\[(.+)\](?::(\d+))?$/.exec(server);
  if (bracketed) return { host: bracketed[1]!, port: Number(bracketed[2] ?? 53) };
  const colon = server.lastIndexOf(':');
  if (colon > 0 && server.indexOf(':') === colon) return { host: server.slice(0, colon), port: Number(server.slice(colon + 1)) };
  return { host: server, port: 53 };
}

/**
 * SRV or NAPTR over UDP to each server in turn until one answers. Resolves
 * 'truncated' when the answer did not fit a datagram (the caller then asks
 * node's resolver, which retries over TCP, and caches nothing); rejects
 * when no server gave a usable answer.
 */
export async function queryTimed(
  servers: readonly string[],
  name: string,
  type: typeof TYPE_SRV | typeof TYPE_NAPTR,
  timeoutMs: number,
): Promise<TimedAnswer<SrvRecord | NaptrRecord> | 'truncated'> {
  const rdata: (r: Reader) => SrvRecord | NaptrRecord = type === TYPE_SRV ? SRV : NAPTR;
  for (const server of servers) {
    const { host, port } = serverAddress(server);
    const id = randomInt(0x10000);
    const answer = await new Promise<Parsed<SrvRecord | NaptrRecord> | undefined>((resolve) => {
      const socket = createSocket(ipFamily(host) === 6 ? 'udp6' : 'udp4');
      const done = (result: Parsed<SrvRecord | NaptrRecord> | undefined): void => {
        clearTimeout(timer);
        socket.close();
        resolve(result);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      socket.on('error', () => done(undefined));
      socket.on('message', (message, from) => {
        if (from.port !== port) return;
        try {
          const parsed = decodeAnswer(message, id, type, rdata);
          if (parsed !== undefined) done(parsed);
        } catch {
          done('error'); // a malformed answer: try the next server
        }
      });
      socket.send(encodeQuery(id, name, type), port, host);
    });
    if (answer !== undefined && answer !== 'error') return answer;
  }
  throw new SleetError(ErrorCode.SIP_DNS, `no DNS server answered for ${name}`);
}
