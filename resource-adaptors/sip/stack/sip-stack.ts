import { SystemClock } from '../../../base/clock/system-clock.js';
import type { Clock } from '../../../base/clock/clock.js';
import { ClientInvite, DialogLayer, buildResponse, type InviteOptions } from '../dialog/index.js';
import { nextHopForRequest } from '../transport/next-hop.js';
import {
  generateBranch,
  generateCallId,
  generateTag,
  isSupportedScheme,
  KNOWN_METHODS,
  NameAddr,
  SipRequest,
  SipUri,
  unsupportedRequire,
  validateRequest,
  type SipResponse,
} from '../message/index.js';
import { ProxyCore } from '../proxy/index.js';
import {
  TransactionLayer,
  type ClientTransaction,
  type ClientTransactionOwner,
  type ServerTransaction,
  type Transaction,
  type TransactionUser,
} from '../transaction/index.js';
import { TransportLayer, type ListenPoint, type MessageSource, type SipTransport, type TransportProtocol, type TransportTarget } from '../transport/index.js';
import { describePeer } from '../transport/describe-peer.js';
import { normaliseAddress } from '../transport/ip-address.js';
import { ServerLocator } from '../transport/locate/server-locator.js';
import { MalformedInputLog } from './malformed-input-log.js';
import type { RequestHandler, SipStackOptions } from './sip-stack-options.js';
import { addOverloadControl } from './add-overload-control.js';
import { OVERLOAD_REASON, OverloadScreen } from './overload-screen.js';
import { StackCounters } from './stack-counters.js';

/** A listen point as isLocal compares it: its addresses normalised, the port it advertises and the one it is bound to. */
interface LocalPoint {
  hosts: string[];
  port: number;
  bound: number;
}

/** Without a transport of its own the stack has no listen points; one array, so isLocal's cache holds. */
const NO_LISTEN_POINTS: ListenPoint[] = [];

const DEFAULT_ALLOW = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'INFO', 'UPDATE', 'MESSAGE', 'REFER', 'NOTIFY', 'PRACK'];
/** The dialog layer does RFC 3262 on both sides. */
const DEFAULT_SUPPORTED = ['100rel'];

export interface NewRequestOptions {
  /** To URI (and Request-URI unless `requestUri`). */
  to: SipUri | string;
  from?: SipUri | string;
  requestUri?: SipUri | string;
  callId?: string;
  cseq?: number;
  body?: Buffer | string;
  contentType?: string;
  headers?: Record<string, string | string[]>;
}

/**
 * Transport + transaction + dialog layers and the proxy core, wired
 * together: incoming requests go to dialogs, the proxy or the handler,
 * and what nobody takes is answered sensibly (OPTIONS 200, 501, 416, 420,
 * 481). No global state: several stacks can run in one process.
 */
export class SipStack implements TransactionUser {
  readonly transport: SipTransport;
  readonly transactions: TransactionLayer;
  readonly dialogs: DialogLayer;
  readonly proxy: ProxyCore;
  readonly clock: Clock;
  readonly counters = new StackCounters();
  /** Every malformed input the stack and its layers refused, counted and logged at a bounded rate. */
  readonly malformedInput: MalformedInputLog;
  private readonly options: SipStackOptions;
  private readonly ownedTransport?: TransportLayer;
  private readonly ownedClock?: SystemClock;
  private readonly domains: Set<string>;
  private local?: { of: ListenPoint[]; points: LocalPoint[] };
  private handler?: RequestHandler;
  private readonly onError: (err: unknown) => void;
  private readonly screen: OverloadScreen | undefined;

  constructor(options: SipStackOptions = {}) {
    this.options = options;
    this.onError = options.onError ?? (() => undefined);
    if (options.clock === undefined) this.ownedClock = new SystemClock();
    this.clock = options.clock ?? this.ownedClock!;
    this.malformedInput = new MalformedInputLog({ clock: this.clock, write: options.logMalformed ?? (() => undefined) });
    const onMalformed = (reason: string, peer: string) => this.malformedInput.note(reason, peer);
    const locator = options.transport === undefined ? new ServerLocator(options.dnsServers ? { servers: options.dnsServers } : {}) : undefined;
    if (options.transport !== undefined) {
      this.transport = options.transport;
    } else {
      const layer = new TransportLayer({
        locateSentBy: (transport, host, port) => locator!.locateSentBy(transport, host, port),
        clock: this.clock,
        onError: this.onError,
        onMalformed,
        ...(options.maxMessageSize ? { maxMessageSize: options.maxMessageSize } : {}),
        ...(options.udpReceiveBufferSize ? { udpReceiveBufferSize: options.udpReceiveBufferSize } : {}),
        ...(options.workers ? { workers: options.workers } : {}),
        ...options.connectionLimits,
        ...(options.tlsClient ? { tlsClient: options.tlsClient } : {}),
      });
      this.ownedTransport = layer;
      this.transport = layer;
    }
    this.domains = new Set((options.domains ?? []).map((d) => d.toLowerCase()));
    this.handler = options.onRequest;
    this.transactions = new TransactionLayer(this.transport, {
      clock: this.clock,
      timers: options.timers ?? {},
      user: this,
      onError: this.onError,
      onMalformed,
      ...(locator ? { locate: (uri: SipUri) => locator.locate(uri) } : {}),
      failoverBranch: (old) => this.proxy.renewBranch(old) ?? generateBranch(),
      retarget: (request, from, to) => this.retarget(request, from, to),
    });
    this.dialogs = new DialogLayer({
      transactions: this.transactions,
      localContact: (t) => this.contact(t),
      onError: this.onError,
      ...(options.sessionTimers ? { sessionTimers: options.sessionTimers } : {}),
    });
    this.proxy = new ProxyCore({
      transactions: this.transactions,
      isLocal: (host, port) => this.isLocal(host, port),
      recordRouteUri: (t) => this.contact(t).uri,
      ...(this.ownedTransport === undefined
        ? {}
        : { isConnectionOpen: (id: number, address: string, port: number) => this.ownedTransport!.isConnectionOpen(id, address, port) }),
      supportedProxyRequire: options.proxy?.supportedProxyRequire ?? [],
      onError: this.onError,
      ...(options.proxy?.timerC !== undefined ? { timerC: options.proxy.timerC } : {}),
      ...(options.proxy?.routeSecret !== undefined ? { routeSecret: options.proxy.routeSecret } : {}),
    });
    if (options.admission !== undefined) {
      this.screen = new OverloadScreen({
        admission: options.admission,
        clock: this.clock,
        hasServerTransaction: (key) => this.transactions.hasServerTransaction(key),
        ...(options.screenWhen ? { enabled: options.screenWhen } : {}),
      });
      this.ownedTransport?.setScreen(this.screen.screen);
    }
  }

  /** Requests overload control refused (parsed or not) and ACKs to those refusals dropped unparsed. */
  get overloadStats(): { shed: number; shedUnparsed: number; acksAbsorbed: number } {
    const screened = this.screen?.stats;
    return {
      shed: this.transactions.stats.shed + (screened?.refused ?? 0),
      shedUnparsed: screened?.refused ?? 0,
      acksAbsorbed: screened?.acksAbsorbed ?? 0,
    };
  }

  /** Binds the listen points (real transport only); resolves with them. */
  async start(): Promise<ListenPoint[]> {
    if (this.ownedTransport === undefined) return [];
    for (const lp of this.options.listen ?? []) await this.ownedTransport.listen(lp);
    return this.ownedTransport.listenPoints;
  }

  get listenPoints(): ListenPoint[] {
    return this.ownedTransport?.listenPoints ?? NO_LISTEN_POINTS;
  }

  setRequestHandler(handler: RequestHandler | undefined): void {
    this.handler = handler;
  }

  /** Our Contact / Record-Route address for a transport. */
  contact(transport: TransportProtocol): NameAddr {
    const lp = this.listenPoints.find((l) => l.transport === transport) ?? this.listenPoints[0];
    const uri = new SipUri();
    uri.host = lp?.sentByHost ?? this.options.localAddress?.host ?? '127.0.0.1';
    uri.port = lp?.sentByPort ?? this.options.localAddress?.port ?? 5060;
    if (transport !== 'UDP') uri.params.set('transport', transport.toLowerCase());
    return new NameAddr(uri);
  }

  /**
   * RFC 3263 sends a request over `to` where its URI implied `from`: a
   * Contact of ours (made by `contact(from)`) and our Record-Route move to
   * `to`, so that the peer and in-dialog requests use what really worked.
   */
  private retarget(request: SipRequest, from: TransportProtocol, to: TransportProtocol): void {
    const contacts = request.contacts;
    const uri = contacts.length === 1 ? contacts[0]!.uri : undefined;
    const was = this.contact(from).uri;
    if (uri !== undefined && uri.host === was.host && uri.port === was.port && (uri.transport ?? 'udp').toUpperCase() === from) {
      const now = this.contact(to).uri;
      uri.host = now.host;
      uri.port = now.port;
      if (to === 'UDP') uri.params.delete('transport');
      else uri.params.set('transport', to.toLowerCase());
      request.set('Contact', contacts[0]!.toString());
    }
    this.proxy.retargetRecordRoute(request, from, to);
  }

  /** Whether host[:port] is this stack: one of its domains or listen addresses. */
  isLocal(host: string, port: number | undefined): boolean {
    const plain = normaliseAddress(host);
    const points = this.localPoints();
    const wanted = port ?? 5060;
    let ourPort = false;
    for (const p of points) if (p.port === wanted || p.bound === wanted) ourPort = true;
    // A domain of ours is local when no port is named, or when it names our port: a UA on this
    // machine (sip:127.0.0.1:5093 when 127.0.0.1 is a domain) is somewhere else.
    if (this.domains.has(plain) && (port === undefined || ourPort)) return true;
    for (const p of points) if (p.hosts.includes(plain) && (p.port === wanted || p.bound === wanted)) return true;
    return false;
  }

  /** The addresses isLocal compares with, normalised once per set of listen points rather than for each request (several per request). */
  private localPoints(): readonly LocalPoint[] {
    const listenPoints = this.listenPoints;
    if (this.local?.of !== listenPoints) {
      const points =
        listenPoints.length > 0
          ? listenPoints.map((l) => ({ hosts: [l.address, l.sentByHost].map(normaliseAddress), port: l.sentByPort, bound: l.port }))
          : [{ hosts: [normaliseAddress(this.options.localAddress?.host ?? '127.0.0.1')], port: this.options.localAddress?.port ?? 5060, bound: -1 }];
      this.local = { of: listenPoints, points };
    }
    return this.local.points;
  }

  /** A new out-of-dialog request: From tag, Call-ID, CSeq, Max-Forwards and Contact filled in. */
  createRequest(method: string, options: NewRequestOptions): SipRequest {
    const to = typeof options.to === 'string' ? SipUri.parse(options.to) : options.to;
    const requestUri =
      options.requestUri === undefined ? to.clone() : typeof options.requestUri === 'string' ? SipUri.parse(options.requestUri) : options.requestUri;
    const contact = this.contact(nextHopForRequest(SipRequest.create(method, requestUri)).transport);
    const from = options.from === undefined ? contact.uri.clone() : typeof options.from === 'string' ? SipUri.parse(options.from) : options.from;
    from.params.delete('transport');
    const headers: Record<string, string | string[]> = {
      From: `${new NameAddr(from).toString()};tag=${generateTag()}`,
      To: new NameAddr(to).toString(),
      'Call-ID': options.callId ?? generateCallId(contact.uri.host),
      CSeq: `${options.cseq ?? 1} ${method}`,
      'Max-Forwards': '70',
    };
    if (method !== 'CANCEL' && method !== 'ACK' && method !== 'BYE') headers['Contact'] = contact.toString();
    if (method === 'INVITE' && this.supported().length > 0) headers['Supported'] = this.supported().join(', ');
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name] = value;
    if (options.body !== undefined && options.contentType !== undefined) headers['Content-Type'] = options.contentType;
    return SipRequest.create(method, requestUri, headers, options.body);
  }

  createInvite(options: NewRequestOptions): SipRequest {
    return this.createRequest('INVITE', options);
  }

  /** Sends an INVITE that creates dialogs (forking handled, 2xx ACKed unless `deferAck`). */
  invite(request: SipRequest, options: InviteOptions = {}): ClientInvite {
    return this.dialogs.invite(request, options);
  }

  /** Sends any non-ACK request in a client transaction; `onResponse` gets every response. */
  sendRequest(request: SipRequest, options: { target?: TransportTarget; onResponse?: (response: SipResponse) => void } = {}): ClientTransaction {
    const owner: ClientTransactionOwner = { onResponse: (response) => options.onResponse?.(response) };
    return this.transactions.createClientTransaction(request, options.target ?? nextHopForRequest(request), owner);
  }

  async close(): Promise<void> {
    this.dialogs.close();
    this.transactions.close();
    await this.ownedTransport?.close();
    this.ownedClock?.close();
  }

  /** @internal TransactionUser. */
  onRequest(tx: ServerTransaction, request: SipRequest): void {
    // Checked before anything reads the request, so that the answer to a broken one never depends on who would have handled it.
    const invalid = validateRequest(request);
    if (invalid !== null) {
      this.counters.invalidRequests++;
      this.malformedInput.note(invalid.reason, describePeer(tx.source));
      tx.respond(buildResponse(request, invalid.status, { reason: invalid.reason, toTag: generateTag() }));
      return;
    }
    if (request.method === 'CANCEL') {
      if (!this.proxy.handleCancel(tx, request) && !this.dialogs.handleCancel(tx, request)) {
        tx.respond(buildResponse(request, 481, { toTag: generateTag() }));
      }
      return;
    }
    if (request.to.tag !== undefined) {
      if (this.dialogs.handleRequest(tx, request)) return;
      // The core relays it only along a route set we record-routed (481 otherwise).
      if (this.proxy.isRoutedThrough(request)) {
        this.proxy.route(tx);
        return;
      }
      if (this.onUnknownDialog?.(request, tx) === true) return;
      tx.respond(buildResponse(request, 481, { toTag: request.to.tag }));
      return;
    }
    const refusal = this.refusal(request);
    if (refusal !== undefined) {
      tx.respond(refusal);
      return;
    }
    if (this.handler !== undefined && this.handler(request, tx) === true) return;
    this.answerUnhandled(tx, request);
  }

  /**
   * An in-dialog request for no dialog held here nor routed through us: true
   * when the hook took it (a cluster node restoring the dialog from its
   * store answers it later); otherwise it gets 481.
   */
  onUnknownDialog: ((request: SipRequest, tx: ServerTransaction) => boolean) | undefined;

  /** Called when any transaction leaves the transaction layer (the SIP resource adaptor ends its activity). */
  onTransactionEnd: ((tx: Transaction) => void) | undefined;

  /** @internal TransactionUser. */
  onTransactionTerminated(tx: Transaction): void {
    this.onTransactionEnd?.(tx);
  }

  /** @internal TransactionUser: overload control refuses new work statelessly, before it costs a transaction. */
  shed(request: SipRequest, source: MessageSource): boolean {
    const admission = this.options.admission;
    const screen = this.screen;
    if (admission === undefined || screen === undefined || screen.admittedEarlier(source) || admission.admit(request)) return false;
    screen.noteRefusal();
    const response = buildResponse(request, 503, {
      toTag: screen.tags.tagFor(request.topVia?.branch ?? '', request.callId),
      reason: OVERLOAD_REASON,
      headers: { 'Retry-After': String(admission.retryAfterSeconds()) },
    });
    if (request.topVia?.params.has('oc') === true) addOverloadControl(response, admission.rejectPercent(), this.clock.now());
    this.transactions.sendStatelessResponse(response, source).catch(this.onError);
    return true;
  }

  /** @internal TransactionUser. */
  onAck(ack: SipRequest, source: MessageSource): void {
    const invalid = validateRequest(ack);
    if (invalid !== null) {
      this.counters.invalidAcks++;
      this.malformedInput.note(`ACK dropped: ${invalid.reason}`, describePeer(source));
      return;
    }
    if (ack.to.tag !== undefined && this.dialogs.handleAck(ack)) return;
    this.proxy.handleAck(ack, source);
  }

  /** @internal TransactionUser. */
  onStrayResponse(response: SipResponse): void {
    if (!this.dialogs.handleStrayResponse(response)) this.proxy.handleStrayResponse(response);
  }

  private refusal(request: SipRequest): SipResponse | undefined {
    if (!isSupportedScheme(request.uri.scheme)) return buildResponse(request, 416, { toTag: generateTag() });
    if ((this.options.role ?? 'ua') === 'proxy') return undefined;
    if (!KNOWN_METHODS.has(request.method)) {
      return buildResponse(request, 501, { toTag: generateTag(), headers: { Allow: this.allow().join(', ') } });
    }
    const unsupported = unsupportedRequire(request, this.supported());
    if (unsupported.length > 0) {
      return buildResponse(request, 420, { toTag: generateTag(), headers: { Unsupported: unsupported.join(', ') } });
    }
    // RFC 3311: UPDATE only ever runs inside a dialog; one without a To tag has none to match.
    if (request.method === 'UPDATE') return buildResponse(request, 481, { toTag: generateTag() });
    const sessionTimers = this.dialogs.sessionTimers;
    if (request.method === 'INVITE' && sessionTimers?.refuses(request) === true) return sessionTimers.refusal(request, generateTag());
    return undefined;
  }

  /**
   * Nobody took it: OPTIONS gets our capabilities, the rest is refused. A
   * request asking to be relayed (a Route of ours) gets 403: relaying an
   * out-of-dialog request is a service's decision, made after it knows who
   * is asking, never a default.
   */
  answerUnhandled(tx: ServerTransaction, request: SipRequest): void {
    if (request.method === 'OPTIONS') {
      const headers: Record<string, string> = { Allow: this.allow().join(', '), Accept: 'application/sdp' };
      if (this.supported().length > 0) headers['Supported'] = this.supported().join(', ');
      const answer = this.options.optionsAnswer?.();
      tx.respond(buildResponse(request, answer?.status ?? 200, { toTag: generateTag(), headers: { ...headers, ...answer?.headers } }));
      return;
    }
    if (this.proxy.isRoutedThrough(request) && request.routes.length > 0) {
      tx.respond(buildResponse(request, 403, { reason: 'Forbidden - Relaying denied', toTag: generateTag() }));
      return;
    }
    if (!KNOWN_METHODS.has(request.method)) {
      tx.respond(buildResponse(request, 501, { toTag: generateTag() }));
      return;
    }
    const allowed = this.allow().includes(request.method);
    tx.respond(buildResponse(request, allowed ? 480 : 405, { toTag: generateTag(), headers: { Allow: this.allow().join(', ') } }));
  }

  /** Option tags we support: the configured ones (100rel by default), and `timer` when session timers are on. */
  private supported(): string[] {
    const configured = this.options.supported ?? DEFAULT_SUPPORTED;
    return this.dialogs.sessionTimers === undefined || configured.includes('timer') ? configured : [...configured, 'timer'];
  }

  private allow(): string[] {
    return this.options.allow ?? DEFAULT_ALLOW;
  }
}
