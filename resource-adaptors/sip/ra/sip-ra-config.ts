import { z } from 'zod';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { dnsServersProblem, splitDnsServers } from '../transport/locate/dns-servers.js';
import type { ConfigProperties } from '../../../slee/resource-adaptor/resource-adaptor.js';
import type { ConfigPropertyDescriptor } from '../../../slee/resource-adaptor/resource-adaptor-type.js';

/** The SIP RA's configuration properties, with their defaults. */
export const SIP_RA_CONFIG_PROPERTIES: readonly ConfigPropertyDescriptor[] = [
  { name: 'host', type: 'string', default: '127.0.0.1', description: 'address to listen on' },
  { name: 'port', type: 'number', default: 5060, description: 'port for every transport (0 picks one)' },
  { name: 'transports', type: 'string', default: 'udp,tcp', description: 'comma-separated: udp, tcp, tls, ws, wss (tls and wss need tlsCert and tlsKey)' },
  { name: 'tlsPort', type: 'number', default: 5061, description: 'port for TLS (0 picks one)' },
  { name: 'wsPort', type: 'number', default: 5066, description: 'port for SIP over WebSocket, ws (0 picks one)' },
  { name: 'wssPort', type: 'number', default: 7443, description: 'port for SIP over secure WebSocket, wss (0 picks one)' },
  { name: 'tlsCert', type: 'string', default: '', description: 'PEM file: the certificate (chain) TLS presents' },
  { name: 'tlsKey', type: 'string', default: '', description: 'PEM file: the private key of tlsCert' },
  { name: 'tlsCa', type: 'string', default: '', description: 'PEM file: CAs trusted for TLS peers (empty: the system CAs)' },
  {
    name: 'tcpIdleTimeoutMs',
    type: 'number',
    default: 300000,
    description: 'TCP/TLS connections with no whole message, keep-alive or write for this long are closed',
  },
  {
    name: 'tcpMessageTimeoutMs',
    type: 'number',
    default: 10000,
    description: 'a TCP/TLS message (and a TLS handshake) must be whole within this time of its first byte (slowloris)',
  },
  { name: 'tcpMaxConnections', type: 'number', default: 10000, description: 'incoming TCP/TLS connections beyond this are refused' },
  { name: 'tcpMaxConnectionsPerSource', type: 'number', default: 100, description: 'incoming TCP/TLS connections from one address beyond this are refused' },
  { name: 'domains', type: 'string', default: '', description: 'comma-separated SIP domains this SLEE is responsible for' },
  { name: 'maxMessageSize', type: 'number', default: 65535, description: 'larger messages are refused' },
  {
    name: 'udpReceiveBufferSize',
    type: 'number',
    default: 4194304,
    description: 'kernel receive buffer per UDP socket in bytes (Linux caps it at net.core.rmem_max)',
  },
  { name: 'timerC', type: 'number', default: 181000, description: 'proxy Timer C in ms' },
  {
    name: 'sessionExpires',
    type: 'number',
    default: 0,
    description: 'RFC 4028 session timers for INVITE dialogs: the interval in seconds asked for and granted at most; 0 turns them off',
  },
  { name: 'sessionMinSE', type: 'number', default: 90, description: 'shortest session interval accepted (Min-SE, seconds; 422 below it); at least 90' },
  {
    name: 'sessionAllowShortMinSE',
    type: 'boolean',
    default: false,
    description: 'tests only: lets sessionMinSE go below 90 s so that a session expires in seconds',
  },
  { name: 'answerTimeoutMs', type: 'number', default: 32000, description: 'a non-INVITE no SBB answered in this time gets 500' },
  { name: 'inviteAnswerTimeoutMs', type: 'number', default: 181000, description: 'an INVITE no SBB answered in this time gets 500' },
  {
    name: 'dnsServers',
    type: 'string',
    default: '',
    description: 'comma-separated DNS servers (IP or IP:port) for RFC 3263 server location; empty: the system resolver',
  },
  {
    name: 'routeSecretFile',
    type: 'string',
    default: '',
    description: 'file holding the Record-Route token key (created if missing); empty: a random key per activation',
  },
  {
    name: 'workerPorts',
    type: 'string',
    default: '',
    description: "worker mode (sleet start --workers): every worker's own UDP port, comma-separated by worker index; port is then the shared one",
  },
  { name: 'workerIndex', type: 'number', default: 0, description: "worker mode: this worker's index in workerPorts" },
];

const schema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(5060),
    transports: z
      .string()
      .default('udp,tcp')
      .transform((s) =>
        s
          .split(',')
          .map((t) => t.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(['udp', 'tcp', 'tls', 'ws', 'wss'])).min(1)),
    tlsPort: z.number().int().min(0).max(65535).default(5061),
    wsPort: z.number().int().min(0).max(65535).default(5066),
    wssPort: z.number().int().min(0).max(65535).default(7443),
    tlsCert: z.string().default(''),
    tlsKey: z.string().default(''),
    tlsCa: z.string().default(''),
    tcpIdleTimeoutMs: z.number().int().min(1000).default(300_000),
    tcpMessageTimeoutMs: z.number().int().min(100).default(10_000),
    tcpMaxConnections: z.number().int().min(1).default(10_000),
    tcpMaxConnectionsPerSource: z.number().int().min(1).default(100),
    domains: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((d) => d.trim().toLowerCase())
          .filter(Boolean),
      ),
    maxMessageSize: z.number().int().min(1024).default(65535),
    udpReceiveBufferSize: z
      .number()
      .int()
      .min(65536)
      .default(4 * 1024 * 1024),
    timerC: z.number().int().min(1000).default(181000),
    sessionExpires: z.number().int().min(0).default(0),
    sessionMinSE: z.number().int().min(1).default(90),
    sessionAllowShortMinSE: z.boolean().default(false),
    answerTimeoutMs: z.number().int().min(100).default(32000),
    inviteAnswerTimeoutMs: z.number().int().min(100).default(181000),
    routeSecretFile: z.string().default(''),
    workerPorts: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)
          .map(Number),
      )
      .pipe(z.array(z.number().int().min(1).max(65535))),
    workerIndex: z.number().int().min(0).default(0),
    dnsServers: z
      .string()
      .default('')
      .transform(splitDnsServers)
      .superRefine((servers, ctx) => {
        const problem = dnsServersProblem(servers);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      }),
  })
  .superRefine((config, ctx) => {
    if (config.workerPorts.length > 0) {
      if (config.workerIndex >= config.workerPorts.length) ctx.addIssue({ code: 'custom', path: ['workerIndex'], message: 'not an index of workerPorts' });
      if (config.routeSecretFile === '') ctx.addIssue({ code: 'custom', path: ['workerPorts'], message: 'workers share the key of routeSecretFile: give one' });
      if (config.workerPorts.includes(config.port)) ctx.addIssue({ code: 'custom', path: ['workerPorts'], message: 'a worker port is the shared port' });
    }
    if (config.sessionMinSE < 90 && !config.sessionAllowShortMinSE) {
      ctx.addIssue({ code: 'custom', path: ['sessionMinSE'], message: 'below RFC 4028 minimum of 90 s (sessionAllowShortMinSE is for tests only)' });
    }
    for (const secure of ['tls', 'wss'] as const) {
      if (config.transports.includes(secure) && (config.tlsCert === '' || config.tlsKey === '')) {
        ctx.addIssue({ code: 'custom', path: ['transports'], message: `${secure} needs tlsCert and tlsKey` });
      }
    }
  });

export type SipRaConfig = z.output<typeof schema>;

export function sipRaConfig(config: ConfigProperties): SipRaConfig {
  const parsed = schema.safeParse(config);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`);
    throw new SleetError(ErrorCode.INVALID_COMPONENT, `invalid SIP resource adaptor configuration: ${details.join('; ')}`, { details });
  }
  return parsed.data;
}
