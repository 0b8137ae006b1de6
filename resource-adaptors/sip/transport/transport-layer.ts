import { createSocket, type Socket as DgramSocket, type RemoteInfo } from 'node:dgram';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer } from 'node:tls';
import type { Clock } from '../../../base/clock/clock.js';
import { SystemClock } from '../../../base/clock/system-clock.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { DEFAULT_MAX_MESSAGE_SIZE, parseMessage, SipParseError, SipResponse, type SipRequest } from '../message/index.js';
import { ConnectionTable } from './connection-table.js';
import { datagramLookup } from './datagram-lookup.js';
import type { DatagramScreen, ScreenedDatagram } from './datagram-screen.js';
import { describePeer } from './describe-peer.js';
import { fitResponseInDatagram, maxDatagramPayload } from './fit-datagram.js';
import { AddressTexts } from './address-texts.js';
import { hostForVia, ipFamily, normaliseAddress, stripBrackets } from './ip-address.js';
import type { ListenPoint } from './listen-point.js';
import { addressOf, resolveHost } from './resolve-host.js';
import { SourceCounter } from './source-counter.js';
import { responseDestination } from './response-destination.js';
import { stampReceived } from './stamp-received.js';
import type { ConnectionHooks, SipConnection } from './sip-connection.js';
import { StreamConnection } from './stream-connection.js';
import { TransportCounters } from './transport-counters.js';
import { MessageCounters } from './message-counters.js';
import { defaultPort, type ListenPointOptions, type TlsSettings, type TransportLayerOptions } from './transport-options.js';
import {
  isReliable,
  isWebSocket,
  type MessageReceiver,
  type MessageSource,
  type SendResult,
  type SipTransport,
  type TransportProtocol,
  type TransportTarget,
  type WireMessage,
  type WireObserver,
  type ResponseDestination,
} from './transport-types.js';
import { WebSocketTransport } from './ws-transport.js';
import { WorkerHandoff } from './worker-handoff.js';
import { InputDelayProbe, type ProbeTicks } from './input-delay-probe.js';

const CRLFCRLF = Buffer.from('\r\n\r\n');

interface UdpBinding {
  lp: ListenPoint;
  socket: DgramSocket;
  /** Worker mode: the port every worker reads (ListenPointOptions.shared). */
  shared: boolean;
}

interface StreamBinding {
  lp: ListenPoint;
  server: Server;
  tls?: TlsSettings;
}

/**
 * RFC 3261 §18 over UDP, TCP and TLS (and WS/WSS, RFC 7118, in WebSocketTransport): owns the listen points and the
 * connection table, turns bytes into messages (stateless 400/513 for what
 * cannot be parsed) and messages into bytes sent to the right place. Every
 * socket callback is guarded: nothing a peer sends can throw out of it.
 */
export class TransportLayer implements SipTransport {
  readonly counters = new TransportCounters();
  /** Messages by method and status class, for metrics. */
  readonly messages = new MessageCounters();
  private readonly clock: Clock;
  private readonly ownedClock?: SystemClock;
  private readonly maxMessageSize: number;
  private readonly udpMtuLimit: number;
  private readonly udpReceiveBufferSize: number;
  private readonly addresses = new AddressTexts();
  private readonly idleTimeoutMs: number;
  private readonly messageTimeoutMs: number;
  private readonly incoming: SourceCounter;
  private readonly maxWriteBuffer: number;
  private readonly connectTimeoutMs: number;
  private readonly webSocketPingIntervalMs: number;
  private readonly onError: (err: unknown) => void;
  private readonly onMalformed: (reason: string, peer: string) => void;
  private readonly tlsClient?: TlsSettings;
  private readonly locateSentBy?: TransportLayerOptions['locateSentBy'];
  private readonly handoff?: WorkerHandoff;
  private readonly udp: UdpBinding[] = [];
  private readonly streams: StreamBinding[] = [];
  private listenPointList: ListenPoint[] | undefined;
  private readonly connections = new ConnectionTable();
  private readonly connecting = new Map<string, Promise<SipConnection>>();
  /** Made on the first WebSocket listen point or send. */
  private webSocket?: WebSocketTransport;
  private receiver: MessageReceiver = () => undefined;
  /** Told of every message in and out; empty (one length check per message) unless traces or accounting are on. */
  private observers: WireObserver[] = [];
  private probe: InputDelayProbe | null = null;
  private screen: DatagramScreen | undefined;
  private closed = false;

  constructor(options: TransportLayerOptions = {}) {
    if (options.clock === undefined) this.ownedClock = new SystemClock({ ref: false });
    this.clock = options.clock ?? this.ownedClock!;
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.udpMtuLimit = options.udpMtuLimit ?? 1300;
    this.udpReceiveBufferSize = options.udpReceiveBufferSize ?? 4 * 1024 * 1024;
    this.idleTimeoutMs = options.idleConnectionTimeoutMs ?? 300_000;
    this.messageTimeoutMs = options.messageTimeoutMs ?? 10_000;
    this.incoming = new SourceCounter(options.maxConnections ?? 10_000, options.maxConnectionsPerSource ?? 100);
    this.maxWriteBuffer = options.maxWriteBuffer ?? 1024 * 1024;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.webSocketPingIntervalMs = options.webSocketPingIntervalMs ?? 30_000;
    this.onError = options.onError ?? (() => undefined);
    this.onMalformed = options.onMalformed ?? (() => undefined);
    if (options.tlsClient !== undefined) this.tlsClient = options.tlsClient;
    if (options.locateSentBy !== undefined) this.locateSentBy = options.locateSentBy;
    if (options.workers !== undefined) this.handoff = new WorkerHandoff(options.workers);
  }

  setReceiver(receiver: MessageReceiver): void {
    this.receiver = receiver;
  }

  /** Shows every UDP datagram to `screen` before it is parsed; undefined removes it. */
  setScreen(screen: DatagramScreen | undefined): void {
    this.screen = screen;
  }

  /** Adds an observer of every message received and sent; returns what removes it. */
  observe(observer: WireObserver): () => void {
    this.observers = [...this.observers, observer];
    return () => {
      this.observers = this.observers.filter((o) => o !== observer);
    };
  }

  /** The same array until a listen point is added (the stack reads it for every request): do not modify it. */
  get listenPoints(): ListenPoint[] {
    this.listenPointList ??= [...this.udp.map((b) => b.lp), ...this.streams.map((b) => b.lp), ...(this.webSocket?.listenPoints ?? [])];
    return this.listenPointList;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  /**
   * Whether connection `id` is still open to that peer (an RFC 5626 flow is
   * alive). The peer is checked too: ids start again at 1 in every process,
   * so a token from an earlier run (or another node) may name an id now
   * held by someone else.
   */
  isConnectionOpen(id: number, remoteAddress: string, remotePort: number): boolean {
    const connection = this.connections.byConnectionId(id);
    return connection !== undefined && connection.remotePort === remotePort && normaliseAddress(connection.remoteAddress) === normaliseAddress(remoteAddress);
  }

  /** Binds a listen point; resolves once it is listening (port 0 → the chosen port). */
  async listen(options: ListenPointOptions): Promise<ListenPoint> {
    try {
      return await this.bind(options);
    } finally {
      this.listenPointList = undefined;
    }
  }

  private async bind(options: ListenPointOptions): Promise<ListenPoint> {
    const { address, family } = await resolveHost(options.host);
    const port = options.port ?? defaultPort(options.transport);
    const makeLp = (bound: number): ListenPoint => ({
      transport: options.transport,
      address,
      port: bound,
      family,
      sentByHost: options.advertisedHost ?? hostForVia(address),
      sentByPort: options.advertisedPort ?? bound,
    });
    if ((options.transport === 'TLS' || options.transport === 'WSS') && (options.tls?.key === undefined || options.tls.cert === undefined)) {
      throw new SleetError(ErrorCode.SIP_TRANSPORT, `a ${options.transport} listen point needs tls.key and tls.cert`);
    }
    if (isWebSocket(options.transport)) return this.webSockets().listen(makeLp, options.transport, address, port, family, options.tls);
    if (options.transport === 'UDP') {
      const socket = createSocket({
        type: family === 6 ? 'udp6' : 'udp4',
        ipv6Only: family === 6,
        recvBufferSize: this.udpReceiveBufferSize,
        lookup: datagramLookup,
      });
      const shared = this.handoff !== undefined && options.shared === true;
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        // In a cluster worker a non-exclusive bind takes the primary's shared handle: only the shared port may.
        socket.bind({ port, address, exclusive: this.handoff !== undefined && !shared }, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      const binding: UdpBinding = { lp: { ...makeLp(socket.address().port), receiveBufferSize: socket.getRecvBufferSize() }, socket, shared };
      socket.on('error', (err) => this.onError(err));
      socket.on('message', (data: Buffer, rinfo: RemoteInfo) => this.guard(() => this.receiveDatagram(binding, data, rinfo)));
      // A worker's own UDP port before the shared one: Contact and Record-Route take the first listen point of a transport.
      const firstShared = this.udp.findIndex((b) => b.shared);
      if (shared || firstShared === -1) this.udp.push(binding);
      else this.udp.splice(firstShared, 0, binding);
      return binding.lp;
    }
    const server =
      options.transport === 'TLS'
        ? createTlsServer({
            key: options.tls!.key,
            cert: options.tls!.cert,
            ca: options.tls!.ca,
            requestCert: options.tls!.requestCert ?? false,
            rejectUnauthorized: options.tls!.rejectUnauthorized ?? true,
            handshakeTimeout: this.messageTimeoutMs,
          })
        : createServer();
    const transport = options.transport as 'TCP' | 'TLS';
    // The raw socket, before any TLS handshake: limits apply before a peer can cost us a handshake.
    server.on('connection', (socket: Socket) => this.guard(() => this.admit(socket)));
    server.on(transport === 'TLS' ? 'secureConnection' : 'connection', (socket: Socket) => this.guard(() => this.accept(transport, socket)));
    // A failed or timed-out handshake: with a listener here node leaves the socket open, so close it.
    server.on('tlsClientError', (_err: Error, socket: Socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Exclusive: in a node:cluster worker only this process serves TCP and TLS (only UDP has a shared port).
      server.listen({ port, host: address, ipv6Only: family === 6, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.onError(err));
    const bound = server.address();
    const binding: StreamBinding = { lp: makeLp(typeof bound === 'object' && bound !== null ? bound.port : port), server };
    if (options.tls !== undefined) binding.tls = options.tls;
    this.streams.push(binding);
    return binding.lp;
  }

  async sendRequest(request: SipRequest, target: TransportTarget): Promise<SendResult> {
    this.assertOpen();
    if (target.connectionId !== undefined) return this.sendOverFlow(request, target.connectionId);
    if (isWebSocket(target.transport)) return this.sendOverWebSocket(request, target.transport, target.host, target.port ?? defaultPort(target.transport));
    const lpFamily = this.listenPoints.find((lp) => lp.transport === target.transport)?.family;
    // An address needs no resolver: no await, so the datagram leaves in this turn.
    const { address, family } = addressOf(target.host, lpFamily) ?? (await resolveHost(target.host, lpFamily));
    const port = target.port ?? defaultPort(target.transport);
    let transport = target.transport;
    let data = this.stampVia(request, transport, family);
    this.messages.sentRequest(request);
    if (transport === 'UDP' && data.length > this.udpMtuLimit && this.listenPoint('TCP', family) !== undefined) {
      // RFC 3261 §18.1.1: too big for a datagram without fragmentation risk.
      transport = 'TCP';
      this.counters.udpToTcpSwitches++;
      data = this.stampVia(request, transport, family);
    }
    if (this.observers.length > 0) this.notifySent(request, data, transport, address, port, this.listenPoint(transport, family));
    return this.sendBytes(data, transport, address, port, family);
  }

  async sendResponse(response: SipResponse, source?: MessageSource): Promise<SendResult> {
    this.assertOpen();
    this.messages.sentResponse(response);
    const data = response.toBuffer();
    const destination = responseDestination(response, source);
    if (this.observers.length > 0) this.notifyResponse(response, data, destination, source);
    try {
      return await this.deliver(data, destination, source);
    } catch (err) {
      return this.deliverToSentBy(response, data, err);
    }
  }

  /**
   * RFC 3261 §18.2.2 and RFC 3263 §5: the connection is gone and the received
   * address refused, so each target the Via's sent-by leads to, in order.
   */
  private async deliverToSentBy(response: SipResponse, data: Buffer, failure: unknown): Promise<SendResult> {
    const via = response.topVia!;
    if (this.locateSentBy === undefined || ipFamily(stripBrackets(via.host)) !== 0) throw failure;
    const targets = await this.locateSentBy(via.transport as TransportProtocol, via.host, via.port).catch(() => []);
    for (const target of targets) {
      try {
        return await this.deliver(data, { transport: target.transport, host: target.host, port: target.port ?? defaultPort(target.transport) }, undefined);
      } catch {
        // the next target (§5: as for requests, in order)
      }
    }
    throw failure;
  }

  async resend(bytes: Buffer, destination: ResponseDestination, source?: MessageSource): Promise<SendResult> {
    this.assertOpen();
    this.messages.retransmissionsOut++;
    if (this.observers.length > 0) this.notifyResponse(undefined, bytes, destination, source);
    return this.deliver(bytes, destination, source);
  }

  /** Closes every listen point and connection; pending sends fail. */
  /**
   * Times, at each of `ticks`, how long a datagram waits in each UDP listen
   * point's receive queue before it is read (see InputDelayProbe), for
   * overload control. In worker mode the shared port is left out: which
   * worker reads a datagram there is the kernel's choice.
   */
  async probeInputDelay(ticks: ProbeTicks, onDelay: (ms: number) => void): Promise<void> {
    this.probe?.close();
    const targets = this.udp.filter((b) => this.handoff === undefined || !b.shared).map((b) => b.lp);
    this.probe = new InputDelayProbe(targets, this.clock, onDelay);
    await this.probe.start(ticks);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.probe?.close();
    for (const c of this.connections.all()) c.close();
    await Promise.all([
      this.webSocket?.close(),
      ...this.udp.map((b) => new Promise<void>((resolve) => b.socket.close(() => resolve()))),
      ...this.streams.map((b) => new Promise<void>((resolve) => b.server.close(() => resolve()))),
    ]);
    this.ownedClock?.close();
  }

  // ---- receiving -------------------------------------------------------

  private receiveDatagram(binding: UdpBinding, data: Buffer, rinfo: RemoteInfo): void {
    if (data[0] === 0 && InputDelayProbe.isProbe(data)) {
      this.probe?.received(data);
      return;
    }
    if (this.handoff !== undefined) {
      if (binding.shared) {
        const owner = this.handoff.ownerOf(data);
        if (owner !== this.handoff.index) {
          this.handOver(binding, owner, data, rinfo);
          return;
        }
      } else if (this.handoff.isFrame(data)) {
        this.takeHandedOver(binding, data, rinfo);
        return;
      }
    }
    this.takeDatagram(binding, data, this.addresses.of(normaliseAddress(rinfo.address)), rinfo.port);
  }

  /** To the owner's own port, from ours: one loopback datagram carrying the original source. */
  private handOver(shared: UdpBinding, owner: number, data: Buffer, rinfo: RemoteInfo): void {
    const own = this.udp.find((b) => !b.shared && b.lp.family === shared.lp.family);
    if (own === undefined) return;
    const to = own.lp.address === '0.0.0.0' ? '127.0.0.1' : own.lp.address === '::' ? '::1' : own.lp.address;
    this.counters.handoffsOut++;
    own.socket.send(this.handoff!.frame(data, normaliseAddress(rinfo.address), rinfo.port), this.handoff!.ports[owner]!, to, (err) => {
      if (err) this.onError(this.sendError(`worker handoff to port ${this.handoff!.ports[owner]} failed`, err));
    });
  }

  /** A sibling's frame: taken as if read on the shared port, so the answer leaves from it to the original source. */
  private takeHandedOver(own: UdpBinding, frame: Buffer, rinfo: RemoteInfo): void {
    const from = normaliseAddress(rinfo.address);
    const taken = this.handoff!.unframe(frame, from, rinfo.port, own.lp.address);
    const shared = this.udp.find((b) => b.shared && b.lp.family === own.lp.family);
    if (taken === undefined || shared === undefined) {
      this.counters.handoffsRefused++;
      this.onMalformed('worker handoff frame refused', describePeer({ transport: 'UDP', remoteAddress: from, remotePort: rinfo.port }));
      return;
    }
    this.counters.handoffsIn++;
    this.takeDatagram(shared, taken.data, this.addresses.of(normaliseAddress(taken.address)), taken.port);
  }

  private takeDatagram(binding: UdpBinding, data: Buffer, remoteAddress: string, remotePort: number): void {
    this.counters.bytesIn += data.length;
    const source: MessageSource = {
      transport: 'UDP',
      remoteAddress,
      remotePort,
      localAddress: binding.lp.address,
      localPort: binding.lp.port,
    };
    if (isOnlyCrlf(data)) {
      this.counters.keepAlivesIn++;
      return;
    }
    if (data.length > this.maxMessageSize) {
      this.counters.oversized++;
      this.onMalformed(`datagram of ${data.length} bytes exceeds ${this.maxMessageSize}`, describePeer(source));
      this.refuseOversized(data, source);
      return;
    }
    if (this.screen !== undefined) {
      const screened = this.screen(data, source);
      if (screened !== undefined) {
        this.takeScreened(binding, screened);
        return;
      }
    }
    this.receiveBytes(data, source);
  }

  /** Counted like any request; the reply, already bytes, leaves from the socket the request came in on. */
  private takeScreened(binding: UdpBinding, screened: ScreenedDatagram): void {
    this.counters.messagesIn++;
    this.messages.receivedRequest(screened.method);
    const reply = screened.reply;
    if (reply === undefined) return;
    this.messages.sentResponseTo(screened.method, screened.replyStatus);
    binding.socket.send(reply, screened.replyPort, screened.replyAddress, (err) => {
      if (err) this.onError(this.sendError(`UDP send to ${screened.replyAddress}:${screened.replyPort} failed`, err));
      else this.countOut(reply);
    });
  }

  private receiveBytes(data: Buffer, source: MessageSource): void {
    let message: SipRequest | SipResponse;
    try {
      message = parseMessage(data, { maxMessageSize: this.maxMessageSize });
    } catch (err) {
      this.counters.parseErrors++;
      this.onMalformed(err instanceof Error ? err.message : String(err), describePeer(source));
      if (err instanceof SipParseError && !err.isResponse && err.partial?.isRequest) {
        this.answerStatelessly(err.partial as SipRequest, err.status, err.reason, source);
      }
      return;
    }
    this.counters.messagesIn++;
    this.messages.received(message);
    if (this.observers.length > 0) this.notify({ direction: 'in', ...source, bytes: data, message });
    if (message.isRequest) {
      const request = message as SipRequest;
      if (request.topVia === undefined) {
        this.counters.parseErrors++;
        this.onMalformed('request without Via dropped', describePeer(source));
        return; // no Via, nowhere to send a response
      }
      stampReceived(request, source);
    }
    if (source.connectionId !== undefined && this.webSocket !== undefined) this.webSocket.noteFlows(message, source.connectionId);
    try {
      this.receiver(message, source);
    } catch (err) {
      this.onError(err);
    }
  }

  /** UDP over maxMessageSize: 513 when the header section alone parses into a request, else drop. */
  private refuseOversized(data: Buffer, source: MessageSource): void {
    const headEnd = data.indexOf(CRLFCRLF);
    if (headEnd === -1 || headEnd + 4 > this.maxMessageSize) return;
    let request: SipRequest | undefined;
    try {
      const head = parseMessage(data.subarray(0, headEnd + 4), { maxMessageSize: this.maxMessageSize });
      if (head.isRequest) request = head as SipRequest;
    } catch (err) {
      if (err instanceof SipParseError && err.partial?.isRequest) request = err.partial as SipRequest;
    }
    if (request !== undefined) this.answerStatelessly(request, 513, 'Message Too Large', source);
  }

  /** Malformed or oversized requests: answered straight back to the source, since their Via may be what is broken. */
  private answerStatelessly(request: SipRequest, status: number, reason: string, source: MessageSource): void {
    if (request.method === 'ACK') return;
    let response: SipResponse;
    try {
      response = SipResponse.fromRequest(request, status, reason);
    } catch {
      return; // too broken to build a response from
    }
    const data = response.toBuffer();
    this.messages.sentResponse(response);
    if (this.observers.length > 0)
      this.notifyResponse(response, data, { transport: source.transport, host: source.remoteAddress, port: source.remotePort }, source);
    if (source.connectionId !== undefined) {
      const connection = this.connections.byConnectionId(source.connectionId);
      if (connection?.write(data)) this.countOut(data);
      return;
    }
    const binding = this.udp.find((b) => b.lp.port === source.localPort && b.lp.address === source.localAddress);
    if (binding === undefined) return;
    this.sendResponseDatagram(binding, data, source.remoteAddress, source.remotePort).catch(() => undefined);
  }

  /** Counts an incoming socket against the total and its source's limit until it closes; refuses it beyond them. */
  private admit(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    if (this.closed || !this.incoming.acquire(address)) {
      this.counters.connectionsRejected++;
      socket.destroy();
      return;
    }
    socket.once('close', () => this.incoming.release(address));
  }

  private accept(transport: 'TCP' | 'TLS', socket: Socket): void {
    if (this.closed || socket.destroyed) {
      socket.destroy();
      return;
    }
    this.register(transport, socket);
  }

  private register(transport: 'TCP' | 'TLS', socket: Socket): StreamConnection {
    const connection = new StreamConnection(
      transport,
      socket,
      {
        maxMessageSize: this.maxMessageSize,
        maxWriteBuffer: this.maxWriteBuffer,
        idleTimeoutMs: this.idleTimeoutMs,
        messageTimeoutMs: this.messageTimeoutMs,
        clock: this.clock,
      },
      this.hooks,
    );
    this.connections.add(connection);
    this.counters.connectionsOpened++;
    return connection;
  }

  private readonly hooks: ConnectionHooks = {
    onMessage: (data, connection) => {
      this.counters.bytesIn += data.length;
      this.receiveBytes(data, {
        transport: connection.transport,
        remoteAddress: connection.remoteAddress,
        remotePort: connection.remotePort,
        localAddress: connection.localAddress,
        localPort: connection.localPort,
        connectionId: connection.id,
      });
    },
    onKeepAlive: () => {
      this.counters.keepAlivesIn++;
    },
    onFramingError: (err, connection) => {
      this.counters.framingErrors++;
      this.onMalformed(`${err instanceof Error ? err.message : String(err)}; connection closed`, describePeer(connection));
      if (SleetError.is(err, ErrorCode.SIP_MESSAGE_TOO_LARGE)) this.counters.oversized++;
    },
    onMessageTimeout: () => {
      this.counters.connectionsTimedOut++;
    },
    onClose: (connection) => {
      this.connections.remove(connection);
      this.counters.connectionsClosed++;
    },
    onError: (err) => this.onError(err),
  };

  // ---- sending ---------------------------------------------------------

  private listenPoint(transport: TransportProtocol, family: 4 | 6): ListenPoint | undefined {
    if (isWebSocket(transport)) return this.webSocket?.listenPoint(transport, family);
    if (transport === 'UDP') return this.sendingBinding(family)?.lp;
    return this.streams.find((b) => b.lp.transport === transport && b.lp.family === family)?.lp;
  }

  /** The UDP socket requests leave from: a worker's own port, so that their responses come back to it. */
  private sendingBinding(family: 4 | 6): UdpBinding | undefined {
    return this.udp.find((b) => b.lp.family === family && !b.shared) ?? this.udp.find((b) => b.lp.family === family);
  }

  /** Rewrites the top Via for the transport actually used (only that value: the others keep their received text) and serialises. */
  private stampVia(request: SipRequest, transport: TransportProtocol, family: 4 | 6): Buffer {
    const lp = this.listenPoint(transport, family) ?? this.listenPoint('UDP', family);
    const top = request.topVia;
    if (top !== undefined) {
      top.transport = transport;
      if (lp !== undefined) {
        top.host = lp.sentByHost;
        top.port = lp.sentByPort;
      }
      request.setTopVia(top);
    }
    return request.toBuffer();
  }

  /**
   * Over the destination's connection while open, else to its address; UDP
   * answers leave from the socket `source` arrived on. Not async: to an
   * address, the datagram leaves in this turn, with no promise in between.
   */
  private deliver(data: Buffer, dest: ResponseDestination, source: MessageSource | undefined): Promise<SendResult> {
    if (dest.connectionId !== undefined) {
      const connection = this.connections.byConnectionId(dest.connectionId);
      if (connection !== undefined && connection.write(data)) {
        this.countOut(data);
        return Promise.resolve(this.result(connection.transport, connection.remoteAddress, connection.remotePort, connection.id));
      }
    }
    const transport = dest.transport;
    if (isWebSocket(transport)) return this.writeToWebSocket(data, transport, dest.host, dest.port);
    const known = addressOf(dest.host);
    if (known === undefined) return resolveHost(dest.host).then(({ address, family }) => this.deliverTo(data, transport, dest.port, source, address, family));
    return this.deliverTo(data, transport, dest.port, source, known.address, known.family);
  }

  private deliverTo(
    data: Buffer,
    transport: 'UDP' | 'TCP' | 'TLS',
    port: number,
    source: MessageSource | undefined,
    address: string,
    family: 4 | 6,
  ): Promise<SendResult> {
    if (transport === 'UDP' && source !== undefined && source.transport === 'UDP') {
      // Answer from the socket the request arrived on, so NATs see the same 5-tuple.
      const binding = this.udp.find((b) => b.lp.port === source.localPort && normaliseAddress(b.lp.address) === normaliseAddress(source.localAddress));
      if (binding !== undefined && binding.lp.family === family) return this.sendResponseDatagram(binding, data, address, port);
    }
    if (transport === 'UDP') {
      const binding = this.sendingBinding(family);
      if (binding === undefined) return Promise.reject(this.sendError(`no UDP listen point for IPv${family}`));
      return this.sendResponseDatagram(binding, data, address, port);
    }
    return this.sendBytes(data, transport, address, port, family);
  }

  /** A response on UDP, in a form that fits a datagram (see fitResponseInDatagram); counted and reported when it cannot. */
  private sendResponseDatagram(binding: UdpBinding, data: Buffer, address: string, port: number): Promise<SendResult> {
    const fitted = fitResponseInDatagram(data, maxDatagramPayload(binding.lp.family));
    if (fitted === undefined) {
      this.counters.responsesTooLargeDropped++;
      this.onMalformed(
        `response of ${data.length} bytes not sent: even a 513 with its Via values exceeds a datagram`,
        describePeer({ transport: 'UDP', remoteAddress: address, remotePort: port }),
      );
      return Promise.reject(this.sendError(`response to ${address}:${port} too large for UDP`));
    }
    if (fitted.form === 'compact') this.counters.responsesCompacted++;
    if (fitted.form === '513') {
      this.counters.responsesReplacedBy513++;
      this.onMalformed(
        `response of ${data.length} bytes replaced by a 513: too large for a datagram`,
        describePeer({ transport: 'UDP', remoteAddress: address, remotePort: port }),
      );
    }
    return this.sendDatagram(binding, fitted.data, address, port);
  }

  private sendBytes(data: Buffer, transport: 'UDP' | 'TCP' | 'TLS', address: string, port: number, family: 4 | 6): Promise<SendResult> {
    if (transport !== 'UDP') return this.sendOverConnection(data, transport, address, port);
    const binding = this.sendingBinding(family);
    if (binding === undefined) return Promise.reject(this.sendError(`no UDP listen point for IPv${family}`));
    return this.sendDatagram(binding, data, address, port);
  }

  private async sendOverConnection(data: Buffer, transport: 'TCP' | 'TLS', address: string, port: number): Promise<SendResult> {
    const connection = await this.connection(transport, address, port);
    if (!connection.write(data)) throw this.sendError(`connection to ${address}:${port} closed`);
    this.countOut(data);
    return this.result(transport, address, port, connection.id);
  }

  private sendDatagram(binding: UdpBinding, data: Buffer, address: string, port: number): Promise<SendResult> {
    return new Promise((resolve, reject) => {
      binding.socket.send(data, port, address, (err) => {
        if (err) {
          reject(this.sendError(`UDP send to ${address}:${port} failed`, err));
          return;
        }
        this.countOut(data);
        resolve(this.result('UDP', address, port));
      });
    });
  }

  /** A request over WebSocket: the connection first, since it decides WS or WSS and so the Via. */
  private async sendOverWebSocket(request: SipRequest, transport: 'WS' | 'WSS', host: string, port: number): Promise<SendResult> {
    const connection = await this.webSockets().connectionFor(transport, host, port);
    const data = this.stampVia(request, connection.transport, ipFamily(connection.remoteAddress) === 6 ? 6 : 4);
    return this.writeTo(connection, data);
  }

  private async writeToWebSocket(data: Buffer, transport: 'WS' | 'WSS', host: string, port: number): Promise<SendResult> {
    return this.writeTo(await this.webSockets().connectionFor(transport, host, port), data);
  }

  /** RFC 5626 §5.3: over that connection and no other; a flow that is gone is not reopened. */
  private sendOverFlow(request: SipRequest, connectionId: number): SendResult {
    const connection = this.connections.byConnectionId(connectionId);
    if (connection === undefined) throw this.sendError(`flow ${connectionId} is closed`);
    const family = ipFamily(connection.localAddress) === 6 ? 6 : 4;
    const data = this.stampVia(request, connection.transport, family);
    this.messages.sentRequest(request);
    if (this.observers.length > 0) {
      this.notifySent(request, data, connection.transport, connection.remoteAddress, connection.remotePort, this.listenPoint(connection.transport, family));
    }
    return this.writeTo(connection, data);
  }

  private writeTo(connection: SipConnection, data: Buffer): SendResult {
    if (!connection.write(data)) throw this.sendError(`connection to ${describePeer(connection)} closed`);
    this.countOut(data);
    return this.result(connection.transport, connection.remoteAddress, connection.remotePort, connection.id);
  }

  private webSockets(): WebSocketTransport {
    this.webSocket ??= new WebSocketTransport({
      clock: this.clock,
      connections: this.connections,
      hooks: this.hooks,
      maxMessageSize: this.maxMessageSize,
      maxWriteBuffer: this.maxWriteBuffer,
      pingIntervalMs: this.webSocketPingIntervalMs,
      handshakeTimeoutMs: this.messageTimeoutMs,
      connectTimeoutMs: this.connectTimeoutMs,
      admit: (socket) => this.admit(socket),
      tlsClient: () => this.tlsClient ?? this.streams.find((b) => b.lp.transport === 'TLS')?.tls,
      isClosed: () => this.closed,
      onOpened: () => this.counters.connectionsOpened++,
      onError: (err) => this.onError(err),
      sendError: (message, cause) => this.sendError(message, cause),
    });
    return this.webSocket;
  }

  /** Reuses an open connection to the destination, or opens one (one attempt at a time per destination). */
  private connection(transport: 'TCP' | 'TLS', address: string, port: number): Promise<SipConnection> {
    const existing = this.connections.find(transport, address, port);
    if (existing !== undefined) return Promise.resolve(existing);
    const key = ConnectionTable.key(transport, address, port);
    let pending = this.connecting.get(key);
    if (pending === undefined) {
      pending = this.open(transport, address, port).finally(() => this.connecting.delete(key));
      this.connecting.set(key, pending);
    }
    return pending;
  }

  private open(transport: 'TCP' | 'TLS', address: string, port: number): Promise<StreamConnection> {
    return new Promise((resolve, reject) => {
      const tls = this.tlsClient ?? this.streams.find((b) => b.lp.transport === 'TLS')?.tls;
      const socket =
        transport === 'TLS'
          ? tlsConnect({
              host: address,
              port,
              key: tls?.key,
              cert: tls?.cert,
              ca: tls?.ca,
              rejectUnauthorized: tls?.rejectUnauthorized ?? true,
            })
          : netConnect({ host: address, port });
      const timer = this.clock.schedule(this.connectTimeoutMs, () => fail(new SleetError(ErrorCode.SIP_TRANSPORT, 'connect timeout')));
      const fail = (err: unknown): void => {
        this.clock.cancel(timer);
        socket.destroy();
        reject(this.sendError(`${transport} connect to ${address}:${port} failed`, err));
      };
      socket.once('error', fail);
      socket.once(transport === 'TLS' ? 'secureConnect' : 'connect', () => {
        this.clock.cancel(timer);
        socket.off('error', fail);
        if (this.closed) {
          socket.destroy();
          reject(this.sendError('transport closed'));
          return;
        }
        resolve(this.register(transport, socket));
      });
    });
  }

  private result(transport: TransportProtocol, address: string, port: number, connectionId?: number): SendResult {
    const result: SendResult = { transport, reliable: isReliable(transport), remoteAddress: this.addresses.of(address), remotePort: port };
    if (connectionId !== undefined) result.connectionId = connectionId;
    return result;
  }

  /** Bytes sent from a kept copy (a retransmission) have no parsed message. */
  private notifyResponse(response: SipResponse | undefined, data: Buffer, dest: ResponseDestination, source: MessageSource | undefined): void {
    const lp = source === undefined ? this.listenPoints.find((l) => l.transport === dest.transport) : undefined;
    this.notify({
      direction: 'out',
      transport: dest.transport,
      remoteAddress: dest.host,
      remotePort: dest.port,
      localAddress: source?.localAddress ?? lp?.address ?? '',
      localPort: source?.localPort ?? lp?.port ?? 0,
      bytes: data,
      message: response,
    });
  }

  private notifySent(request: SipRequest, data: Buffer, transport: TransportProtocol, address: string, port: number, lp: ListenPoint | undefined): void {
    this.notify({
      direction: 'out',
      transport,
      remoteAddress: address,
      remotePort: port,
      localAddress: lp?.address ?? '',
      localPort: lp?.port ?? 0,
      bytes: data,
      message: request,
    });
  }

  /** An observer's failure is reported and never reaches the message's path. */
  private notify(wire: WireMessage): void {
    for (const observer of this.observers) {
      try {
        observer(wire);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  private countOut(data: Buffer): void {
    this.counters.messagesOut++;
    this.counters.bytesOut += data.length;
  }

  private sendError(message: string, cause?: unknown): SleetError {
    this.counters.sendErrors++;
    return new SleetError(ErrorCode.SIP_TRANSPORT, message, cause === undefined ? undefined : { cause });
  }

  private assertOpen(): void {
    if (this.closed) throw new SleetError(ErrorCode.SIP_TRANSPORT, 'transport layer is closed');
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.onError(err);
    }
  }
}

function isOnlyCrlf(data: Buffer): boolean {
  for (const byte of data) if (byte !== 0x0d && byte !== 0x0a) return false;
  return true;
}
