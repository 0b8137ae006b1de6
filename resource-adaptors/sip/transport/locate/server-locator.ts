import { lookup, Resolver } from 'node:dns/promises';
import type { NaptrRecord, SrvRecord } from 'node:dns';
import { ErrorCode } from '../../../../base/errors/error-codes.js';
import { SleetError } from '../../../../base/errors/sleet-error.js';
import type { SipUri } from '../../message/index.js';
import { ipFamily, stripBrackets } from '../ip-address.js';
import { uriTarget } from '../next-hop.js';
import { defaultPort } from '../transport-options.js';
import type { TransportProtocol, TransportTarget } from '../transport-types.js';
import { DnsCache } from './dns-cache.js';
import { queryTimed, TYPE_NAPTR, TYPE_SRV } from './dns-query.js';
import { dnsServersProblem } from './dns-servers.js';
import { naptrTransport, srvNameFor, srvNames } from './naptr-service.js';
import { orderSrv } from './srv-order.js';

export interface ServerLocatorOptions {
  /** DNS servers as 'host' or 'host:port' ('[::1]:53' for IPv6); the system's resolver when absent. */
  servers?: readonly string[];
  /** [0, 1) source for the RFC 2782 weighted draw; Math.random by default, fixed in tests. */
  random?: () => number;
  /** Per-query timeout in ms (node's default when absent; 2000 for SRV and NAPTR, asked once per server). */
  timeoutMs?: number;
  /** Answers kept at most (least recently used out first); 0 caches nothing. 1000 by default. */
  cacheEntries?: number;
  /** Ceiling in seconds on how long "no such record" is kept (RFC 2308 SOA value or not): 5 by default. */
  negativeTtlSeconds?: number;
  /** Milliseconds now, for cache expiry; Date.now by default, a fake clock in tests. */
  now?: () => number;
}

const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND']);

/**
 * RFC 3263 §4 for a SIP or SIPS URI: the ordered targets (transport,
 * address, port) to try, NAPTR → SRV → A/AAAA. Only the transports this
 * stack has (UDP, TCP, TLS) come out; sips: gives TLS only. NAPTR, SRV and
 * (with configured servers) A/AAAA answers are cached for their TTL, so the
 * requests of one call ask DNS once; the SRV draw is made afresh each time.
 */
export class ServerLocator {
  private readonly resolver: Resolver;
  private readonly random: () => number;
  /** A/AAAA through the configured servers; through getaddrinfo (so /etc/hosts) otherwise. */
  private readonly ownServers: boolean;
  private readonly cache: DnsCache;
  private readonly negativeTtl: number;
  private readonly timeoutMs: number;

  constructor(options: ServerLocatorOptions = {}) {
    this.resolver = new Resolver(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs, tries: 1 });
    this.ownServers = options.servers !== undefined && options.servers.length > 0;
    if (this.ownServers) {
      const problem = dnsServersProblem(options.servers!);
      if (problem !== undefined) throw new SleetError(ErrorCode.SIP_DNS, problem);
      this.resolver.setServers([...options.servers!]);
    }
    this.random = options.random ?? Math.random;
    this.cache = new DnsCache(options.now ?? Date.now, options.cacheEntries ?? 1000);
    this.negativeTtl = options.negativeTtlSeconds ?? 5;
    this.timeoutMs = options.timeoutMs ?? 2000;
  }

  /** Rejects with SLEET_ERR_SIP_DNS when the name leads to no address. */
  async locate(uri: SipUri): Promise<TransportTarget[]> {
    const secure = uri.scheme === 'sips';
    const host = stripBrackets(uri.param('maddr') ?? uri.host);
    const named = uri.transport !== undefined;
    const explicit = uriTarget(uri);
    if (ipFamily(host) !== 0) return [{ transport: explicit.transport, host, port: explicit.port ?? defaultPort(explicit.transport) }];
    let targets: TransportTarget[];
    if (uri.port !== undefined || explicit.transport === 'WS' || explicit.transport === 'WSS') {
      // §4.2: an explicit port means A/AAAA only; WebSocket has no RFC 3263 records.
      targets = await this.addresses(host, explicit.transport, explicit.port ?? defaultPort(explicit.transport));
    } else if (named) {
      targets = await this.srv(srvNameFor(explicit.transport, host), explicit.transport);
      if (targets.length === 0) targets = await this.addresses(host, explicit.transport, defaultPort(explicit.transport));
    } else {
      targets = await this.viaNaptr(host, secure);
      if (targets.length === 0) {
        for (const { transport, name } of srvNames(host, secure)) targets.push(...(await this.srv(name, transport)));
      }
      if (targets.length === 0) {
        const transport: TransportProtocol = secure ? 'TLS' : 'UDP';
        targets = await this.addresses(host, transport, defaultPort(transport));
      }
    }
    if (targets.length === 0) throw new SleetError(ErrorCode.SIP_DNS, `no address for ${uri.scheme}:${host} (RFC 3263)`);
    return targets;
  }

  /**
   * §5: where a response goes once its connection and the Via's received
   * address have failed: the sent-by name's addresses on its port, or with
   * no port, the SRV records for the Via's transport, then the name's
   * addresses on the default port.
   */
  async locateSentBy(transport: TransportProtocol, host: string, port: number | undefined): Promise<TransportTarget[]> {
    const plain = stripBrackets(host);
    if (ipFamily(plain) !== 0) return [{ transport, host: plain, port: port ?? defaultPort(transport) }];
    if (port !== undefined || transport === 'WS' || transport === 'WSS') return this.addresses(plain, transport, port ?? defaultPort(transport));
    const targets = await this.srv(srvNameFor(transport, plain), transport);
    return targets.length > 0 ? targets : this.addresses(plain, transport, defaultPort(transport));
  }

  /** §4.1: NAPTR records of services we have, by order then preference, each followed through its SRV. */
  private async viaNaptr(domain: string, secure: boolean): Promise<TransportTarget[]> {
    const records = await this.timed<NaptrRecord>(TYPE_NAPTR, domain, () => this.resolver.resolveNaptr(domain));
    const usable = records
      .map((record) => ({ record, transport: naptrTransport(record.service) }))
      .filter((r): r is { record: NaptrRecord; transport: TransportProtocol } => r.transport !== undefined && (!secure || r.transport === 'TLS'))
      .filter((r) => r.record.flags.toUpperCase() === 'S' && r.record.replacement !== '')
      .sort((a, b) => a.record.order - b.record.order || a.record.preference - b.record.preference);
    const targets: TransportTarget[] = [];
    for (const { record, transport } of usable) targets.push(...(await this.srv(record.replacement, transport)));
    return targets;
  }

  private async srv(name: string, transport: TransportProtocol): Promise<TransportTarget[]> {
    const records = await this.timed<SrvRecord>(TYPE_SRV, name, () => this.resolver.resolveSrv(name));
    // RFC 2782: a single record with target "." means the service is decidedly not available.
    const ordered = orderSrv(
      records.filter((r) => r.name !== '' && r.name !== '.'),
      this.random,
    );
    const targets: TransportTarget[] = [];
    for (const record of ordered) targets.push(...(await this.addresses(record.name, transport, record.port)));
    return targets;
  }

  private async addresses(host: string, transport: TransportProtocol, port: number): Promise<TransportTarget[]> {
    if (ipFamily(host) !== 0) return [{ transport, host, port }];
    let found: string[];
    if (this.ownServers) {
      found = [...(await this.address('A', host)), ...(await this.address('AAAA', host))];
    } else {
      found = (await this.query(() => lookup(host, { all: true }))).map((a) => a.address);
    }
    return found.map((address) => ({ transport, host: address, port }));
  }

  /** SRV or NAPTR from the cache, else on the wire for its TTL; a truncated answer goes through node's resolver (TCP) and is not kept. */
  private async timed<T extends SrvRecord | NaptrRecord>(
    type: typeof TYPE_SRV | typeof TYPE_NAPTR,
    name: string,
    untimed: () => Promise<T[]>,
  ): Promise<readonly T[]> {
    const cached = this.cache.get<T>(String(type), name);
    if (cached !== undefined) return cached;
    let answer;
    try {
      answer = await queryTimed(this.resolver.getServers(), name, type, this.timeoutMs);
    } catch {
      return []; // no server answered: nothing learnt, nothing kept
    }
    if (answer === 'truncated') return this.query(untimed);
    const records = answer.records as T[];
    const ttl = records.length > 0 ? answer.ttl! : Math.min(answer.ttl ?? this.negativeTtl, this.negativeTtl);
    this.cache.set(String(type), name, records, ttl);
    return records;
  }

  private async address(type: 'A' | 'AAAA', host: string): Promise<readonly string[]> {
    const cached = this.cache.get<string>(type, host);
    if (cached !== undefined) return cached;
    try {
      const found = type === 'A' ? await this.resolver.resolve4(host, { ttl: true }) : await this.resolver.resolve6(host, { ttl: true });
      const addresses = found.map((a) => a.address);
      this.cache.set(type, host, addresses, Math.min(...found.map((a) => a.ttl)));
      return addresses;
    } catch (err) {
      if (NO_RECORD.has((err as NodeJS.ErrnoException).code ?? '')) this.cache.set(type, host, [], this.negativeTtl);
      return [];
    }
  }

  /** A name that does not exist, has no such record, or whose server fails is an empty answer: the next step is tried. */
  private async query<T>(fn: () => Promise<T[]>): Promise<T[]> {
    try {
      return await fn();
    } catch {
      return [];
    }
  }
}
