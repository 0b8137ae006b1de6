import { Command } from 'commander';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { envName, resolveNodeConfig, type NodeConfigKey } from '../../node/config/node-config.js';
import { DEFAULT_OVERLOAD_SETTINGS } from '../../../slee/overload/overload-settings.js';
import { missingNodeFlags } from '../missing-node-flags.js';
import { WORKER_INDEX_ENV, WORKER_READY } from '../../node/workers/worker-signals.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Exit code for a bad configuration, distinct from a failure at run time (1). */
const CONFIG_EXIT_CODE = 2;

/** `sleet start`: runs a node in this process until SIGINT, SIGTERM or a management shutdown. */
export function startCommand(): Command {
  const env = (key: NodeConfigKey) => `(${envName(key)})`;
  return new Command('start')
    .description('start a Sleet node: the SLEE, its profile store, deployment and the management API')
    .option('--config <file>', 'a JSON file of settings (SLEET_CONFIG)')
    .option('--sip-host <host>', `SIP listening address ${env('sipHost')}; default 127.0.0.1`)
    .option('--sip-port <port>', `SIP port, UDP and TCP ${env('sipPort')}; default 5060`)
    .option('--sip-tls-port <port>', `SIP over TLS on this port, needs --tls-cert and --tls-key ${env('sipTlsPort')}; default off`)
    .option('--sip-ws-port <port>', `SIP over WebSocket (RFC 7118) on this port ${env('sipWsPort')}; default off`)
    .option('--sip-wss-port <port>', `SIP over secure WebSocket on this port, needs --tls-cert and --tls-key ${env('sipWssPort')}; default off`)
    .option('--tls-cert <file>', `PEM certificate (chain) for SIP over TLS ${env('tlsCert')}`)
    .option('--tls-key <file>', `PEM private key of --tls-cert ${env('tlsKey')}`)
    .option('--tls-ca <file>', `PEM CAs trusted for TLS peers ${env('tlsCa')}; default the system CAs`)
    .option('--sip-tcp-idle-timeout-ms <ms>', `close TCP/TLS connections idle this long ${env('sipTcpIdleTimeoutMs')}; default 300000`)
    .option(
      '--sip-tcp-message-timeout-ms <ms>',
      `a TCP/TLS message or handshake must be whole within this (slowloris) ${env('sipTcpMessageTimeoutMs')}; default 10000`,
    )
    .option('--sip-tcp-max-connections <n>', `incoming TCP/TLS connections in all ${env('sipTcpMaxConnections')}; default 10000`)
    .option('--sip-tcp-max-connections-per-source <n>', `incoming TCP/TLS connections from one address ${env('sipTcpMaxConnectionsPerSource')}; default 100`)
    .option('--sip-session-expires <s>', `RFC 4028 session timers for UA services' calls: interval in seconds, 0 off ${env('sipSessionExpires')}; default 0`)
    .option('--sip-min-se <s>', `shortest session interval accepted, 422 below it (at least 90) ${env('sipMinSe')}; default 90`)
    .option('--dns-servers <list>', `DNS servers for RFC 3263 SIP server location, comma-separated IP[:port] ${env('dnsServers')}; default the system's`)
    .option('--domain <domain>', `a domain this node serves, repeatable ${env('domain')}; default: host name and listening addresses`, collect, [])
    .option('--http-port <port>', `HTTP resource adaptor port ${env('httpPort')}; default 8080`)
    .option('--http-auth <on|off>', `HTTP services require a token ${env('httpAuth')}; default on, off with --demo`)
    .option('--http-token <token>', `the HTTP services' token ${env('httpToken')}; default: generated into <data-dir>/http-token`)
    .option('--management-host <host>', `management API address ${env('managementHost')}; default 127.0.0.1`)
    .option('--management-port <port>', `management API port, 0 for any ${env('managementPort')}; default 9797`)
    .option('--management-tls-cert <file>', `PEM certificate: serve the management API over HTTPS ${env('managementTlsCert')}`)
    .option('--management-tls-key <file>', `PEM private key of --management-tls-cert ${env('managementTlsKey')}`)
    .option('--management-token <token>', `management bearer token ${env('managementToken')}; default: generated into <data-dir>/management-token`)
    .option('--data-dir <dir>', `data directory ${env('dataDir')}; default ./data`)
    .option('--profiles-url <url>', `profile store: SQLite path or mysql://… ${env('profilesUrl')}; default <data-dir>/profiles.sqlite`)
    .option('--redis-url <urls>', `Redis URL, or a Redis Cluster's seed URLs comma-separated (two or more) ${env('redisUrl')}; default none`)
    .option('--cluster <name>', `join this cluster: state in Redis, needs --redis-url ${env('cluster')}; default none`)
    .option('--node-id <id>', `this node's name in its cluster ${env('nodeId')}; default <host name>:<sip port>`)
    .option(
      '--workers <n>',
      `serve from n processes, at most one per core, with their state in Redis (needs --redis-url); worker 0 serves management ${env('workers')}; default one process`,
    )
    .option('--trusted <cidr>', `a trusted network, repeatable ${env('trusted')}`, collect, [])
    .option(
      '--digest-algorithms <list>',
      `digest algorithms challenged with, most preferred first: SHA-256,MD5, MD5,SHA-256 or one of them ${env('digestAlgorithms')}; default MD5`,
    )
    .option('--realm <realm>', `the realm of every digest challenge ${env('realm')}; default: the domain of the user`)
    .option('--nonce-ttl <seconds>', `how long a digest nonce is accepted ${env('nonceTtl')}; default 300`)
    .option('--auth-max-failures-user <n>', `failed digest logins per username that lock it out, 0 for never ${env('authMaxFailuresUser')}; default 10`)
    .option(
      '--auth-max-failures-source <n>',
      `failed digest logins per source address that lock it out, 0 for never ${env('authMaxFailuresSource')}; default 30`,
    )
    .option('--auth-failure-window <seconds>', `the window failures are counted in ${env('authFailureWindow')}; default 600`)
    .option('--auth-lockout <seconds>', `how long a lockout lasts ${env('authLockout')}; default 900`)
    .option('--demo', `demo users alice, bob and carol and the example services ${env('demo')}`)
    .option('--overload <on|off>', `admission control: new SIP requests get 503 while the node is saturated ${env('overload')}; default on`)
    .option(
      '--overload-max-utilisation <share>',
      `event-loop utilisation (0-1) above which new requests get 503 ${env('overloadMaxUtilisation')}; default ${DEFAULT_OVERLOAD_SETTINGS.maxUtilisation}`,
    )
    .option(
      '--overload-max-delay-ms <ms>',
      `p99 event-loop delay above which new requests get 503 ${env('overloadMaxDelayMs')}; default ${DEFAULT_OVERLOAD_SETTINGS.maxDelayMs}`,
    )
    .option(
      '--overload-max-input-delay-ms <ms>',
      `time a datagram waits in its socket's queue above which new requests get 503 ${env('overloadMaxInputDelayMs')}; default ${DEFAULT_OVERLOAD_SETTINGS.maxInputDelayMs}`,
    )
    .option(
      '--overload-max-backlog <events>',
      `queued events at which new requests get 503 at once ${env('overloadMaxBacklog')}; default ${DEFAULT_OVERLOAD_SETTINGS.maxBacklog}`,
    )
    .option(
      '--overload-retry-after <seconds>',
      `Retry-After of shed requests ${env('overloadRetryAfter')}; default ${DEFAULT_OVERLOAD_SETTINGS.retryAfterSeconds}`,
    )
    .option('--metrics <on|off>', `GET /metrics (Prometheus) on the management listener ${env('metrics')}; default on`)
    .option('--metrics-auth [on|off]', `GET /metrics needs the management token ${env('metricsAuth')}; default off`)
    .option('--log-format <auto|pretty|json>', `log lines: pretty on a terminal, JSON otherwise, or forced ${env('logFormat')}; default auto`)
    .option('--log-level <level>', `log level ${env('logLevel')}; default info`)
    .option('--handler-timeout-ms <ms>', `how long an async event handler may run before it is rolled back ${env('handlerTimeoutMs')}; default 30000`)
    .action(async (options: Record<string, unknown> & { config?: string }) => {
      const { config: configFile, ...flags } = options;
      let config;
      try {
        config = resolveNodeConfig({ flags, env: process.env, ...(configFile ? { configFile } : {}) });
      } catch (err) {
        if (!SleetError.is(err, ErrorCode.CONFIG_INVALID)) throw err;
        process.stderr.write(`sleet start: ${err.message}\n`);
        process.exit(CONFIG_EXIT_CODE);
      }
      const missing = missingNodeFlags(process.execArgv);
      // Once per node: its workers inherit the primary's flags.
      if (missing.length > 0 && process.env[WORKER_INDEX_ENV] === undefined) {
        const { createLogger } = await import('../../../server/node/create-logger.js');
        createLogger(config.logLevel, config.logFormat).warn(
          { missing },
          `node was started without ${missing.join(' ')}: after a quiet minute V8 shrinks its heap, and the next burst of calls waits on its collector; start it as node ${missing.join(' ')} dist/server/cli/main.js start, or through the sleet command (docs/configuration.md, Node.js's own flags)`,
        );
      }
      if (config.workers !== undefined) {
        const { default: cluster } = await import('node:cluster');
        if (cluster.isPrimary) {
          const { runWorkerPrimary } = await import('../../../server/node/workers/worker-primary.js');
          const { createLogger } = await import('../../../server/node/create-logger.js');
          process.exit(await runWorkerPrimary(config, createLogger(config.logLevel, config.logFormat)));
        }
        const { workerConfig } = await import('../../../server/node/workers/worker-config.js');
        config = workerConfig(config, Number(process.env[WORKER_INDEX_ENV]));
        // A primary that went away takes its workers with it.
        cluster.worker?.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
      }
      // Loaded here so that management commands do not pay for the node's dependencies.
      const { SleetNode } = await import('../../../server/node/sleet-node.js');
      const node = await SleetNode.start({ config });
      if (config.worker !== undefined) process.send?.(WORKER_READY);
      const stop = (signal: string) => {
        node.logger.info({ signal }, 'signal received');
        void node.stop();
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
      await node.stopped;
      process.exit(0);
    });
}
