import { SipStack, type SipAdmission, type SipStackOptions } from '../stack/index.js';
import type { ListenPointOptions, TransportProtocol } from '../transport/index.js';
import type { SipRaConfig } from './sip-ra-config.js';
import { freeSipPort } from './free-sip-port.js';
import { loadRouteSecret } from './route-secret-file.js';
import { readTlsFiles } from './tls-files.js';

export interface StackHooks {
  admission: SipAdmission | undefined;
  onError(err: unknown): void;
  logMalformed(line: string): void;
  optionsAnswer?: SipStackOptions['optionsAnswer'];
  screenWhen?: SipStackOptions['screenWhen'];
  clock?: SipStackOptions['clock'];
}

/** A started stack listening as the adaptor's configuration says; nothing stays bound if a listen point fails. */
export async function startSipStack(config: SipRaConfig, hooks: StackHooks): Promise<SipStack> {
  const { host, transports, domains, maxMessageSize, udpReceiveBufferSize, timerC, routeSecretFile } = config;
  const plain = transports.filter((t) => t === 'udp' || t === 'tcp');
  const port = config.port === 0 && plain.length > 1 ? await freeSipPort(host) : config.port;
  const routeSecret = routeSecretFile === '' ? undefined : await loadRouteSecret(routeSecretFile);
  const tls = transports.includes('tls') || transports.includes('wss') ? readTlsFiles(config) : undefined;
  const { workerPorts, workerIndex } = config;
  const workers = workerPorts.length > 0 && routeSecret !== undefined ? { index: workerIndex, ports: workerPorts, key: routeSecret } : undefined;
  const listen: ListenPointOptions[] = plain.flatMap((transport): ListenPointOptions[] =>
    // A worker's own UDP port before the shared one: requests leave from it, and Via and Record-Route name it.
    transport === 'udp' && workers !== undefined
      ? [
          { transport: 'UDP', host, port: workerPorts[workerIndex]! },
          { transport: 'UDP', host, port, shared: true },
        ]
      : [{ transport: transport.toUpperCase() as TransportProtocol, host, port }],
  );
  if (transports.includes('tls')) listen.push({ transport: 'TLS', host, port: config.tlsPort, ...(tls ? { tls } : {}) });
  if (transports.includes('ws')) listen.push({ transport: 'WS', host, port: config.wsPort });
  if (transports.includes('wss')) listen.push({ transport: 'WSS', host, port: config.wssPort, ...(tls ? { tls } : {}) });
  const stack = new SipStack({
    listen,
    domains,
    maxMessageSize,
    udpReceiveBufferSize,
    ...(workers !== undefined ? { workers } : {}),
    connectionLimits: {
      idleConnectionTimeoutMs: config.tcpIdleTimeoutMs,
      messageTimeoutMs: config.tcpMessageTimeoutMs,
      maxConnections: config.tcpMaxConnections,
      maxConnectionsPerSource: config.tcpMaxConnectionsPerSource,
    },
    ...(tls !== undefined ? { tlsClient: tls } : {}),
    ...(config.dnsServers.length > 0 ? { dnsServers: config.dnsServers } : {}),
    proxy: { timerC, ...(routeSecret === undefined ? {} : { routeSecret }) },
    ...(config.sessionExpires > 0
      ? { sessionTimers: { sessionExpires: config.sessionExpires, minSE: config.sessionMinSE, allowShortMinSE: config.sessionAllowShortMinSE } }
      : {}),
    ...(hooks.admission === undefined ? {} : { admission: hooks.admission }),
    ...(hooks.screenWhen ? { screenWhen: hooks.screenWhen } : {}),
    onError: hooks.onError,
    logMalformed: hooks.logMalformed,
    ...(hooks.optionsAnswer ? { optionsAnswer: hooks.optionsAnswer } : {}),
    ...(hooks.clock ? { clock: hooks.clock } : {}),
  });
  try {
    await stack.start();
  } catch (err) {
    // A listen point that failed must not leave those already bound open (a UDP port bound before its TCP twin failed).
    await stack.close();
    throw err;
  }
  return stack;
}
