import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Clock } from '../../../base/clock/clock.js';
import type { SipMessage } from '../message/index.js';
import { ConnectionTable } from './connection-table.js';
import { FlowAliases } from './flow-aliases.js';
import { hostForVia } from './ip-address.js';
import type { ListenPoint } from './listen-point.js';
import { resolveHost } from './resolve-host.js';
import type { ConnectionHooks, SipConnection } from './sip-connection.js';
import type { TlsSettings } from './transport-options.js';
import { WsConnection } from './ws-connection.js';

/** The subprotocol RFC 7118 §4.1 registers; handshakes that do not offer it are refused. */
const SIP_SUBPROTOCOL = 'sip';

/** What the WebSocket transport takes from the transport layer it is part of. */
export interface WebSocketHost {
  clock: Clock;
  connections: ConnectionTable;
  hooks: ConnectionHooks;
  maxMessageSize: number;
  maxWriteBuffer: number;
  pingIntervalMs: number;
  /** Deadline of a handshake (HTTP upgrade and TLS), and of an outgoing connect. */
  handshakeTimeoutMs: number;
  connectTimeoutMs: number;
  /** Counts the raw socket against the connection limits, or destroys it. */
  admit(socket: Socket): void;
  tlsClient(): TlsSettings | undefined;
  isClosed(): boolean;
  onOpened(): void;
  onError(err: unknown): void;
  sendError(message: string, cause?: unknown): Error;
}

interface WsBinding {
  lp: ListenPoint;
  server: Server;
  wss: WebSocketServer;
}

/**
 * SIP over WebSocket (RFC 7118) for the transport layer: listen points are
 * HTTP(S) servers upgrading to the `sip` subprotocol; connections go into
 * the layer's connection table like TCP ones (reused by address and port,
 * answered on by id), and `.invalid` hosts are reached over the flow that
 * named them. The UDP path never comes here.
 */
export class WebSocketTransport {
  private readonly bindings: WsBinding[] = [];
  private readonly flows: FlowAliases;
  private readonly connecting = new Map<string, Promise<SipConnection>>();
  private readonly hooks: ConnectionHooks;
  /** A WSS listen point's certificate, the client certificate of outgoing WSS when the layer has no other. */
  private ownTls?: TlsSettings;

  constructor(private readonly host: WebSocketHost) {
    this.flows = new FlowAliases(host.connections);
    this.hooks = {
      ...host.hooks,
      onClose: (connection) => {
        this.flows.forget(connection);
        host.hooks.onClose(connection);
      },
    };
  }

  get listenPoints(): ListenPoint[] {
    return this.bindings.map((b) => b.lp);
  }

  listenPoint(transport: 'WS' | 'WSS', family: 4 | 6): ListenPoint | undefined {
    return this.bindings.find((b) => b.lp.transport === transport && b.lp.family === family)?.lp ?? this.bindings.find((b) => b.lp.family === family)?.lp;
  }

  async listen(
    lp: (port: number) => ListenPoint,
    transport: 'WS' | 'WSS',
    address: string,
    port: number,
    family: 4 | 6,
    tls?: TlsSettings,
  ): Promise<ListenPoint> {
    const timeouts = { headersTimeout: this.host.handshakeTimeoutMs, requestTimeout: this.host.handshakeTimeoutMs };
    const server: Server =
      transport === 'WSS'
        ? createHttpsServer({
            ...timeouts,
            key: tls?.key,
            cert: tls?.cert,
            ca: tls?.ca,
            requestCert: tls?.requestCert ?? false,
            rejectUnauthorized: tls?.rejectUnauthorized ?? true,
            handshakeTimeout: this.host.handshakeTimeoutMs,
          })
        : createHttpServer(timeouts);
    const wss = new WebSocketServer({ noServer: true, maxPayload: this.host.maxMessageSize, perMessageDeflate: false, handleProtocols: () => SIP_SUBPROTOCOL });
    // The raw socket, before any TLS handshake or upgrade: limits apply first, as for TCP.
    server.on('connection', (socket: Socket) => this.guard(() => this.host.admit(socket)));
    server.on('tlsClientError', (_err: Error, socket: Socket) => socket.destroy());
    server.on('request', (_req, res) => {
      res.writeHead(426, { Upgrade: 'websocket', Connection: 'close', 'Content-Length': '0' });
      res.end();
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.guard(() => this.upgrade(transport, wss, req, socket, head)));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Exclusive: in a node:cluster worker only this process serves it (see TransportLayer.listen).
      server.listen({ port, host: address, ipv6Only: family === 6, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.host.onError(err));
    if (tls !== undefined) this.ownTls ??= tls;
    const bound = server.address();
    const binding: WsBinding = { lp: lp(typeof bound === 'object' && bound !== null ? bound.port : port), server, wss };
    this.bindings.push(binding);
    return binding.lp;
  }

  /** Notes the `.invalid` Contact hosts of a message that arrived on one of our connections. */
  noteFlows(message: SipMessage, connectionId: number): void {
    const connection = this.host.connections.byConnectionId(connectionId);
    if (connection !== undefined && (connection.transport === 'WS' || connection.transport === 'WSS')) this.flows.note(message, connection);
  }

  /**
   * The connection a message for `host:port` goes over: the flow that named
   * an `.invalid` host; else an open connection to that address (either
   * scheme: `transport=ws` in a URI says WebSocket, not which one); else a
   * new one of `transport`.
   */
  async connectionFor(transport: 'WS' | 'WSS', host: string, port: number): Promise<SipConnection> {
    if (FlowAliases.isInvalidHost(host)) {
      const flow = this.flows.find(host);
      if (flow === undefined) throw this.host.sendError(`no open WebSocket flow to ${host}`);
      return flow;
    }
    const { address } = await resolveHost(host);
    const open = this.host.connections.find(transport, address, port) ?? this.host.connections.find(transport === 'WS' ? 'WSS' : 'WS', address, port);
    if (open !== undefined) return open;
    const key = ConnectionTable.key(transport, address, port);
    let pending = this.connecting.get(key);
    if (pending === undefined) {
      pending = this.open(transport, address, port).finally(() => this.connecting.delete(key));
      this.connecting.set(key, pending);
    }
    return pending;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.bindings.map(
        (b) =>
          new Promise<void>((resolve) => {
            b.wss.close();
            b.server.close(() => resolve());
            b.server.closeAllConnections();
          }),
      ),
    );
  }

  private upgrade(transport: 'WS' | 'WSS', wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim().toLowerCase());
    if (this.host.isClosed() || !offered.includes(SIP_SUBPROTOCOL)) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const raw = req.socket;
      this.register(transport, ws, raw);
    });
  }

  private register(transport: 'WS' | 'WSS', ws: WebSocket, raw: Socket): WsConnection {
    const connection = new WsConnection(
      transport,
      ws,
      { remoteAddress: raw.remoteAddress, remotePort: raw.remotePort, localAddress: raw.localAddress, localPort: raw.localPort },
      { maxWriteBuffer: this.host.maxWriteBuffer, pingIntervalMs: this.host.pingIntervalMs, clock: this.host.clock },
      this.hooks,
    );
    this.host.connections.add(connection);
    this.host.onOpened();
    return connection;
  }

  private open(transport: 'WS' | 'WSS', address: string, port: number): Promise<SipConnection> {
    return new Promise((resolve, reject) => {
      const tls = transport === 'WSS' ? (this.host.tlsClient() ?? this.ownTls) : undefined;
      const url = `${transport === 'WSS' ? 'wss' : 'ws'}://${hostForVia(address)}:${port}`;
      const ws = new WebSocket(url, SIP_SUBPROTOCOL, {
        maxPayload: this.host.maxMessageSize,
        perMessageDeflate: false,
        handshakeTimeout: this.host.connectTimeoutMs,
        ...(tls === undefined ? {} : { key: tls.key, cert: tls.cert, ca: tls.ca, rejectUnauthorized: tls.rejectUnauthorized ?? true }),
      });
      let raw: Socket | undefined;
      let failed = false;
      const fail = (reason: string, cause?: unknown): void => {
        if (failed) return;
        failed = true;
        ws.terminate();
        reject(this.host.sendError(`${transport} connect to ${url} failed: ${reason}`, cause));
      };
      const failOnError = (err: Error): void => fail(err.message, err);
      // terminate() while connecting emits one more error; it must not find the socket without a listener.
      ws.on('error', () => undefined);
      ws.once('upgrade', (res: IncomingMessage) => (raw = res.socket));
      ws.once('error', failOnError);
      ws.once('unexpected-response', (_req, res: IncomingMessage) => fail(`handshake answered ${res.statusCode}`));
      ws.once('open', () => {
        ws.off('error', failOnError);
        if (this.host.isClosed() || ws.protocol !== SIP_SUBPROTOCOL || raw === undefined) {
          fail(this.host.isClosed() ? 'transport closed' : 'peer did not accept the sip subprotocol');
          return;
        }
        resolve(this.register(transport, ws, raw));
      });
    });
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.host.onError(err);
    }
  }
}
