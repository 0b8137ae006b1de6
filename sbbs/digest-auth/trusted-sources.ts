import { BlockList, isIP } from 'node:net';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';

/** A set of CIDRs (IPv4 and IPv6, `10.0.0.0/8`, `::1/128`, or bare addresses) that requests may come from unchallenged. */
export class TrustedSources {
  /** Addresses whose verdicts are remembered at most; the whole memory is dropped when full, so spoofed sources cannot grow it. */
  static readonly REMEMBERED = 4096;
  private readonly list = new BlockList();
  /** A UA sends every request from one address, and each BlockList check parses it and builds a C++ SocketAddress. */
  private readonly verdicts = new Map<string, boolean>();
  readonly cidrs: readonly string[];

  constructor(cidrs: readonly string[]) {
    this.cidrs = [...cidrs];
    for (const cidr of cidrs) {
      const [address = '', prefixText] = cidr.trim().split('/');
      const family = isIP(address);
      const max = family === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? max : Number(prefixText);
      if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > max || (prefixText !== undefined && !/^\d+$/.test(prefixText))) {
        throw new SleetError(ErrorCode.CONFIG_INVALID, `not a CIDR: '${cidr}' (expected e.g. 10.0.0.0/8 or 2001:db8::/32)`);
      }
      this.list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
    }
  }

  /** Whether an address is in one of the CIDRs; IPv4-mapped IPv6 (`::ffff:10.1.2.3`) counts as its IPv4 address. */
  contains(address: string): boolean {
    let verdict = this.verdicts.get(address);
    if (verdict === undefined) {
      verdict = this.check(address);
      if (this.verdicts.size === TrustedSources.REMEMBERED) this.verdicts.clear();
      this.verdicts.set(address, verdict);
    }
    return verdict;
  }

  private check(address: string): boolean {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const plain = mapped ? mapped[1]! : address.replace(/^\[|\]$/g, '');
    const family = isIP(plain);
    if (family === 0) return false;
    return this.list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }
}
