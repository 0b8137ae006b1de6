import { readFileSync } from 'node:fs';
import { availableParallelism, hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { DEFAULT_OVERLOAD_SETTINGS } from '../../../slee/overload/overload-settings.js';
import { profileStoreUrlProblem } from '../../../profiles/storage/profile-store-url.js';
import { dnsServersProblem, splitDnsServers } from '../../../resource-adaptors/sip/transport/locate/dns-servers.js';
import { redisTargetProblem } from '../../../slee/cluster/redis-connection.js';

/** The longest delay a Node timer takes; a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;
const port = z.coerce.number<number>().int().min(0).max(65535);
const cidr = z.string().refine((value) => {
  const [address, prefix, ...rest] = value.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}, 'expected an IP address or CIDR block, e.g. 10.0.0.0/8');

/** A setting that takes a list takes it comma-separated too, as a flag or variable gives it. */
const commaSeparated = (v: unknown): unknown =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : v;

const TRUE_WORDS = new Set(['true', '1', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'off']);
const booleanSetting = z.preprocess(
  (v) => (typeof v === 'string' && TRUE_WORDS.has(v) ? true : typeof v === 'string' && FALSE_WORDS.has(v) ? false : v),
  z.boolean(),
);

/** Every `sleet start` setting, named as in a `--config` JSON file. */
const nodeConfigSchema = z
  .object({
    sipHost: z.string().min(1).default('127.0.0.1'),
    sipPort: port.default(5060),
    domain: z.array(z.string().min(1)).optional(),
    /** A TLS listen point on this port (SIP over TLS, sips: URIs); needs tlsCert and tlsKey. */
    sipTlsPort: port.optional(),
    /** SIP over WebSocket (RFC 7118) on this port, and over secure WebSocket (needs tlsCert and tlsKey). */
    sipWsPort: port.optional(),
    sipWssPort: port.optional(),
    /** PEM files: the node's certificate (chain) and private key, and CAs trusted for TLS peers (default: the system's). */
    tlsCert: z.string().min(1).optional(),
    tlsKey: z.string().min(1).optional(),
    tlsCa: z.string().min(1).optional(),
    /** TCP/TLS connection limits (see docs/security.md). */
    sipTcpIdleTimeoutMs: z.coerce.number<number>().int().min(1000).default(300_000),
    sipTcpMessageTimeoutMs: z.coerce.number<number>().int().min(100).default(10_000),
    sipTcpMaxConnections: z.coerce.number<number>().int().min(1).default(10_000),
    sipTcpMaxConnectionsPerSource: z.coerce.number<number>().int().min(1).default(100),
    /** RFC 4028 session timers for the INVITE dialogs of UA services: seconds asked for and granted at most; 0 (default) is off. */
    sipSessionExpires: z.coerce.number<number>().int().min(0).default(0),
    /** The shortest session interval accepted (Min-SE): 422 below it; RFC 4028 allows no less than 90 s. */
    sipMinSe: z.coerce.number<number>().int().min(90, 'RFC 4028: Min-SE is at least 90 s').default(90),
    /** DNS servers for RFC 3263 server location, comma-separated IP[:port]; default the system resolver. */
    dnsServers: z
      .string()
      .superRefine((list, ctx) => {
        const problem = dnsServersProblem(splitDnsServers(list));
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    httpPort: port.default(8080),
    /** HTTP services require a bearer token (or Basic password); default on, off under --demo. */
    httpAuth: booleanSetting.optional(),
    httpToken: z.string().min(16, 'must be at least 16 characters').optional(),
    managementHost: z.string().min(1).default('127.0.0.1'),
    managementPort: port.default(9797),
    /** PEM files: the management API (REST, notifications, metrics, console) is served over HTTPS with them. */
    managementTlsCert: z.string().min(1).optional(),
    managementTlsKey: z.string().min(1).optional(),
    managementToken: z.string().min(16, 'must be at least 16 characters').optional(),
    dataDir: z.string().min(1).default('./data'),
    profilesUrl: z
      .string()
      .min(1)
      .superRefine((url, ctx) => {
        const problem = profileStoreUrlProblem(url);
        if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    /** One Redis URL, or the comma-separated seed URLs of a Redis Cluster (two or more; see docs/cluster.md). */
    redisUrl: z
      .preprocess(commaSeparated, z.array(z.string()))
      .superRefine((urls, ctx) => {
        const problem = redisTargetProblem(urls);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    /** Joins the cluster of this name: state replicated in Redis (needs redisUrl), profiles in a shared database (see docs/cluster.md). */
    cluster: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dots, dashes and underscores, at most 64')
      .optional(),
    /** This node's name in its cluster; default: the host name and SIP port. */
    nodeId: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'letters, digits, dots, colons, dashes and underscores, at most 64')
      .optional(),
    /**
     * Worker processes serving this node's SIP address (node:cluster), each
     * a cluster node with its state in Redis; at most one per core. See
     * docs/performance.md (Using every core).
     */
    workers: z.coerce.number<number>().int().min(1, 'at least 1').optional(),
    trusted: z.array(cidr).default([]),
    /** Seconds a digest nonce is accepted; older ones are answered stale=true. */
    nonceTtl: z.coerce.number<number>().int().min(1).max(86_400).default(300),
    /**
     * Digest algorithms challenged with, one WWW-Authenticate each in this order, most preferred first
     * (RFC 8760 §2.4). Default MD5 alone, as Kamailio and Asterisk default: softphones built on libre
     * (baresip) refuse a 401 that also offers SHA-256, and SIPp and sipsak answer only MD5.
     * `SHA-256,MD5` where every client takes both.
     */
    digestAlgorithms: z
      .preprocess(commaSeparated, z.array(z.enum(['SHA-256', 'MD5'])).min(1))
      .refine((list) => new Set(list).size === list.length, 'names an algorithm twice')
      .default(['MD5']),
    /** The realm of every challenge; default: the domain of the user being authenticated. */
    realm: z.string().min(1).optional(),
    /** Failed digest authentications for one username, within the window, that lock it out; 0 disables. */
    authMaxFailuresUser: z.coerce.number<number>().int().min(0).default(10),
    /** Failed digest authentications from one source address, within the window, that lock it out; 0 disables. */
    authMaxFailuresSource: z.coerce.number<number>().int().min(0).default(30),
    /** Seconds over which failures are counted. */
    authFailureWindow: z.coerce.number<number>().int().min(1).default(600),
    /** Seconds a locked-out username or source is refused (403). */
    authLockout: z.coerce.number<number>().int().min(1).default(900),
    /** Demo users alice, bob and carol, and the example services deployed as bundles. */
    demo: booleanSetting.default(false),
    /** Admission control: new SIP requests get 503 while the node is saturated (see docs/performance.md). */
    overload: booleanSetting.default(true),
    overloadMaxUtilisation: z.coerce.number<number>().gt(0).max(1).default(DEFAULT_OVERLOAD_SETTINGS.maxUtilisation),
    overloadMaxDelayMs: z.coerce.number<number>().int().positive().default(DEFAULT_OVERLOAD_SETTINGS.maxDelayMs),
    overloadMaxInputDelayMs: z.coerce.number<number>().int().positive().default(DEFAULT_OVERLOAD_SETTINGS.maxInputDelayMs),
    overloadMaxBacklog: z.coerce.number<number>().int().positive().default(DEFAULT_OVERLOAD_SETTINGS.maxBacklog),
    overloadRetryAfter: z.coerce.number<number>().int().min(0).default(DEFAULT_OVERLOAD_SETTINGS.retryAfterSeconds),
    /** `GET /metrics` (Prometheus text) on the management listener. */
    metrics: booleanSetting.default(true),
    /** Whether `GET /metrics` needs the management token; off by default, so Prometheus scrapes it as is. */
    metricsAuth: booleanSetting.default(false),
    /** `pretty` (pino-pretty), `json`, or `auto`: pretty on a terminal, JSON otherwise. */
    logFormat: z.enum(['auto', 'pretty', 'json']).default('auto'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** How long an async event handler may run before its transaction is rolled back (at most a timer's 2^31-1 ms). */
    handlerTimeoutMs: z.coerce.number<number>().int().min(1).max(MAX_TIMER_MS).default(30_000),
  })
  .superRefine((config, ctx) => {
    if (config.sipTlsPort !== undefined && (config.tlsCert === undefined || config.tlsKey === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['sipTlsPort'], message: 'a TLS port needs --tls-cert and --tls-key (SLEET_TLS_CERT, SLEET_TLS_KEY)' });
    }
    if ((config.managementTlsCert === undefined) !== (config.managementTlsKey === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [config.managementTlsCert === undefined ? 'managementTlsCert' : 'managementTlsKey'],
        message: 'HTTPS for management needs both --management-tls-cert and --management-tls-key',
      });
    }
    if (config.sipSessionExpires !== 0 && config.sipSessionExpires < config.sipMinSe) {
      ctx.addIssue({
        code: 'custom',
        path: ['sipSessionExpires'],
        message: `a session interval is 0 (off) or at least the Min-SE, ${config.sipMinSe} s (RFC 4028)`,
      });
    }
    if (config.cluster !== undefined && config.redisUrl === undefined) {
      ctx.addIssue({ code: 'custom', path: ['cluster'], message: 'a cluster keeps its state in Redis: give --redis-url (SLEET_REDIS_URL)' });
    }
    if (config.workers !== undefined) workersProblems(config).forEach((message) => ctx.addIssue({ code: 'custom', path: ['workers'], message }));
    if (config.sipWssPort !== undefined && (config.tlsCert === undefined || config.tlsKey === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['sipWssPort'], message: 'a WSS port needs --tls-cert and --tls-key (SLEET_TLS_CERT, SLEET_TLS_KEY)' });
    }
  });

/** The worker ports follow the SIP port: worker i owns sipPort + 1 + i. */
function workersProblems(config: {
  workers?: number | undefined;
  sipPort: number;
  redisUrl?: string | string[] | undefined;
  profilesUrl?: string | undefined;
  sipTlsPort?: number | undefined;
  sipWsPort?: number | undefined;
  sipWssPort?: number | undefined;
  httpPort: number;
  managementPort: number;
}): string[] {
  const workers = config.workers ?? 1;
  const problems: string[] = [];
  const cores = availableParallelism();
  if (workers > cores) problems.push(`${workers} workers, but this machine has ${cores} cores: at most one worker per core`);
  if (config.redisUrl === undefined) problems.push('workers share their state in Redis: give --redis-url (SLEET_REDIS_URL)');
  if (config.profilesUrl === ':memory:') problems.push('workers share one profile store: an in-memory one is per process');
  if (config.sipPort === 0) problems.push('workers need a fixed --sip-port: their own ports follow it');
  const last = config.sipPort + workers;
  if (last > 65535) problems.push(`the worker ports ${config.sipPort + 1}-${last} pass 65535`);
  for (const [name, port] of [
    ['--sip-tls-port', config.sipTlsPort],
    ['--sip-ws-port', config.sipWsPort],
    ['--sip-wss-port', config.sipWssPort],
    ['--http-port', config.httpPort],
    ['--management-port', config.managementPort],
  ] as const) {
    if (port !== undefined && port > config.sipPort && port <= last) problems.push(`${name} ${port} is a worker's port (sip port + 1 to + ${workers})`);
  }
  return problems;
}

/** HTTP authentication is on unless switched off, or left unset on a demo node. */
export function httpAuthOn(config: Pick<NodeConfig, 'httpAuth' | 'demo'>): boolean {
  return config.httpAuth ?? !config.demo;
}

/** The resolved configuration: defaults filled in, the domains and profile store location computed. */
export type NodeConfig = Omit<z.output<typeof nodeConfigSchema>, 'domain' | 'profilesUrl' | 'nodeId'> & {
  domain: string[];
  profilesUrl: string;
  nodeId: string;
  /** Set in a worker process of `--workers` (see workerConfig): its index and every worker's own UDP port. */
  worker?: { readonly index: number; readonly ports: readonly number[] };
};

export type NodeConfigKey = keyof z.output<typeof nodeConfigSchema>;

/** Keys that may be given several times (flags repeat, environment variables are comma-separated). */
const LIST_KEYS: ReadonlySet<NodeConfigKey> = new Set(['domain', 'trusted']);

/** `sipHost` → `SLEET_SIP_HOST`. */
export function envName(key: NodeConfigKey): string {
  return `SLEET_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** `sipHost` → `--sip-host`. */
export function flagName(key: NodeConfigKey): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

const NODE_CONFIG_KEYS = Object.keys(nodeConfigSchema.shape) as NodeConfigKey[];

export interface NodeConfigSources {
  /** Command-line flags, already camelCased (commander's option names). */
  flags?: Partial<Record<NodeConfigKey, unknown>>;
  env?: NodeJS.ProcessEnv;
  /** A `--config` file path (flag, or SLEET_CONFIG). */
  configFile?: string;
}

/**
 * Resolves the node configuration: flag > environment > config file >
 * default. Throws SleetError(CONFIG_INVALID) naming each bad setting and
 * where it came from.
 */
export function resolveNodeConfig(sources: NodeConfigSources): NodeConfig {
  const env = sources.env ?? {};
  const file = readConfigFile(sources.configFile ?? env.SLEET_CONFIG);
  const raw: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const key of NODE_CONFIG_KEYS) {
    const flag = sources.flags?.[key];
    const envValue = env[envName(key)];
    if (flag !== undefined && !(Array.isArray(flag) && flag.length === 0)) {
      raw[key] = flag;
      origin[key] = flagName(key);
    } else if (envValue !== undefined && envValue !== '') {
      raw[key] = LIST_KEYS.has(key)
        ? envValue
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : envValue;
      origin[key] = envName(key);
    } else if (file && file.values[key] !== undefined) {
      raw[key] = file.values[key];
      origin[key] = `${file.path} (${key})`;
    }
  }
  for (const key of Object.keys(file?.values ?? {})) {
    if (!(NODE_CONFIG_KEYS as string[]).includes(key)) throw configError([`${file!.path}: unknown setting '${key}'`]);
  }
  const result = nodeConfigSchema.safeParse(raw);
  if (!result.success) {
    throw configError(
      result.error.issues.map((i) => {
        const key = String(i.path[0]);
        return `${origin[key] ?? key}: ${i.message}`;
      }),
    );
  }
  const config = result.data;
  return {
    ...config,
    domain: config.domain ?? defaultDomains(config.sipHost),
    profilesUrl: config.profilesUrl ?? join(config.dataDir, 'profiles.sqlite'),
    nodeId: config.nodeId ?? `${hostname()}:${config.sipPort}`,
  };
}

/** The addresses SIP listens on and the host name. */
function defaultDomains(sipHost: string): string[] {
  const wildcard = sipHost === '0.0.0.0' || sipHost === '::';
  const addresses = wildcard ? Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address)) : [sipHost];
  // The listening address first: it is the domain demo users get, and one every client can reach.
  return [...new Set([...addresses, hostname()])];
}

function readConfigFile(path: string | undefined): { path: string; values: Record<string, unknown> } | undefined {
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw configError([`cannot read config file ${path}: ${(err as Error).message}`]);
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (err) {
    throw configError([`config file ${path} is not valid JSON: ${(err as Error).message}`]);
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw configError([`config file ${path} must hold a JSON object`]);
  return { path, values: values as Record<string, unknown> };
}

function configError(problems: string[]): SleetError {
  return new SleetError(ErrorCode.CONFIG_INVALID, `invalid configuration:\n  ${problems.join('\n  ')}`, { details: problems });
}
