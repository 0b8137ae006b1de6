import { hash } from 'node:crypto';
import type { Clock } from '../../../base/clock/clock.js';
import { NameAddr, RFC3261_BRANCH_PREFIX, SipResponse, SipUri, Via, type SipRequest } from '../message/index.js';
import type { ClientTransaction, ClientTransactionOwner, ServerTransaction, TransactionLayer } from '../transaction/index.js';
import type { MessageSource, SendResult, TransportProtocol, TransportTarget } from '../transport/transport-types.js';
import { nextHopForRequest, uriTarget } from '../transport/next-hop.js';
import { loopHash, loopHashOfBranch, proxyBranch } from './loop-hash.js';
import { ProxyContext, type ProxyOptions } from './proxy-context.js';
import type { ProxyHost } from './proxy-host.js';
import type { ProxyTarget } from './proxy-target.js';
import { validateProxyRequest, type ProxyRejection } from './validate-proxy-request.js';
import { ROUTE_TOKEN_PARAM, RouteTokens } from './route-tokens.js';
import { FlowTokens, type Flow } from './flow-tokens.js';

/** RFC 3261 §16.6 step 11: Timer C must be larger than 3 minutes. */
export const DEFAULT_TIMER_C = 181_000;

export interface ProxyCoreOptions {
  transactions: TransactionLayer;
  /** Whether host[:port] designates this proxy (listen points, names): for Route, Request-URI and Via. */
  isLocal: (host: string, port: number | undefined) => boolean;
  /** The URI we Record-Route with for a transport (`;lr` is added). */
  recordRouteUri: (transport: TransportProtocol) => SipUri;
  supportedProxyRequire?: readonly string[];
  supportedSchemes?: readonly string[];
  timerC?: number;
  /** Key of the Record-Route tokens (at least 32 bytes); nodes sharing it relay each other's dialogs. Default: random per core. */
  routeSecret?: Buffer;
  /**
   * Whether connection `id` is still open and still to that peer: an RFC
   * 5626 flow over one that is not has failed (default: every one is).
   */
  isConnectionOpen?: (id: number, remoteAddress: string, remotePort: number) => boolean;
  onError?: (err: unknown) => void;
}

/**
 * RFC 3261 §16 proxy core: request validation, route processing,
 * forwarding to a target set (stateful through ProxyContext, or stateless),
 * and the stateless paths for ACKs of 2xx and late 2xx responses. Which
 * targets to use is the caller's (an SBB's) decision.
 */
export class ProxyCore implements ProxyHost<ProxyContext> {
  readonly transactions: TransactionLayer;
  readonly defaultTimerC: number;
  private readonly options: ProxyCoreOptions;
  private readonly contexts = new Map<ServerTransaction, ProxyContext>();
  private readonly tokens: RouteTokens;
  private readonly flows: FlowTokens;
  private counter = 0;

  constructor(options: ProxyCoreOptions) {
    this.options = options;
    this.transactions = options.transactions;
    this.defaultTimerC = options.timerC ?? DEFAULT_TIMER_C;
    this.tokens = new RouteTokens(options.routeSecret);
    this.flows = new FlowTokens(options.routeSecret);
  }

  get clock(): Clock {
    return this.transactions.clock;
  }

  /** Live stateful contexts. */
  get size(): number {
    return this.contexts.size;
  }

  /** The context proxying a server transaction, if any. */
  contextFor(tx: ServerTransaction): ProxyContext | undefined {
    return this.contexts.get(tx);
  }

  /** §16.4 then §16.3: route processing, then the checks; null when the request may be forwarded. */
  validate(request: SipRequest): ProxyRejection | null {
    this.processRoutes(request);
    return validateProxyRequest(request, {
      supportedSchemes: this.options.supportedSchemes ?? ['sip', 'sips'],
      supportedProxyRequire: this.options.supportedProxyRequire ?? [],
      isLocal: this.options.isLocal,
      loopHash: this.hashOf(request),
    });
  }

  /**
   * Proxies statefully to `targets`. A request failing validation is
   * answered at once (the context is then already completed with it).
   */
  proxyTo(tx: ServerTransaction, targets: ProxyTarget[], options: ProxyOptions = {}): ProxyContext {
    const request = tx.request;
    const ctx = new ProxyContext(this, tx, request, options);
    const rejection = this.validate(request);
    if (rejection !== null) {
      ctx.refuse(rejectionResponse(request, rejection));
      return ctx;
    }
    // RFC 5626 §5.3: a Route of ours naming a flow sends every branch over that flow, or nowhere once it has failed.
    const flow = this.flowOfRoute(request, tx.source);
    if (flow === 'failed') {
      ctx.refuse(SipResponse.fromRequest(request, 430, 'Flow Failed'));
      return ctx;
    }
    this.contexts.set(tx, ctx);
    ctx.start(flow === undefined ? targets : targets.map((t) => (t.via === undefined ? { ...t, via: flow } : t)));
    return ctx;
  }

  /**
   * Forwards an in-dialog request along its own route (§16.12): the
   * Request-URI is the only target. Only along a route set we
   * record-routed: without a Route (or strict-routed Request-URI) of ours
   * whose token verifies for the request's dialog, it is answered 481 and
   * goes nowhere, so no one can use us as a relay with a made-up To tag
   * or Route.
   */
  route(tx: ServerTransaction, options: ProxyOptions = {}): ProxyContext {
    const request = tx.request;
    if (!this.followsOurRecordRoute(request)) {
      const ctx = new ProxyContext(this, tx, request, { ...options, recordRoute: false });
      ctx.refuse(SipResponse.fromRequest(request, 481, 'Call/Transaction Does Not Exist'));
      return ctx;
    }
    return this.proxyTo(tx, [{ uri: request.uri.clone() }], { recordRoute: false, ...options });
  }

  /** RFC 5626 §5.2: a Path or Record-Route URI of ours (`;lr;ob`) whose user part is a token for `flow`. */
  flowRoute(flow: Flow): SipUri {
    const uri = this.options.recordRouteUri(flow.transport).clone();
    uri.user = this.flows.issue(flow);
    uri.params.set('lr', null);
    uri.params.set('ob', null);
    return uri;
  }

  /**
   * Where a URI `flowRoute` made sends: over its flow while that is open,
   * 'failed' once its connection has closed (RFC 5626 §5.3), undefined for
   * any other URI. A UDP flow is its peer's address and never fails here.
   */
  flowTarget(uri: SipUri): TransportTarget | 'failed' | undefined {
    const flow = this.flowOf(uri);
    return flow === undefined ? undefined : this.targetOfFlow(flow);
  }

  /**
   * Whether the request came to us along a route set we record-routed: a
   * URI of ours in its Route (or, from a strict router, its Request-URI)
   * carries a token issued for its dialog. Processes its routes (§16.4).
   */
  followsOurRecordRoute(request: SipRequest): boolean {
    return this.processRoutes(request).some((uri) => this.tokens.verifies(uri.param(ROUTE_TOKEN_PARAM), request));
  }

  /**
   * Whether a request is for us to route onwards: a Route of ours on top, a
   * Request-URI that is not ours, or one of our Record-Route URIs put there
   * by a strict router (§16.4) with the real target in the last Route.
   */
  isRoutedThrough(request: SipRequest): boolean {
    const top = request.routes[0];
    if (top !== undefined && (this.isLocalUri(top.uri) || this.isPeerRoute(top.uri, request))) return true;
    if (top !== undefined && request.uri.param('lr') !== undefined) return true;
    return !this.isLocalUri(request.uri);
  }

  /**
   * §16.10: the upstream CANCEL of an INVITE we proxy. Answers it 200 and
   * cancels every branch; their 487s make the best response. False when no
   * context proxies that INVITE.
   */
  handleCancel(tx: ServerTransaction, cancel: SipRequest): boolean {
    const invite = this.transactions.findInviteForCancel(cancel);
    const ctx = invite === undefined ? undefined : this.contexts.get(invite);
    if (ctx === undefined) return false;
    this.safe(() => tx.respond(SipResponse.fromRequest(cancel, 200, 'OK')));
    ctx.cancelAll();
    return true;
  }

  /**
   * §16.11 stateless forwarding: validated, route-processed and sent to
   * `target` (default: the Request-URI) with a branch derived from the
   * received one, so retransmissions get the same branch.
   */
  async forwardStateless(request: SipRequest, source: MessageSource, target?: ProxyTarget): Promise<SendResult | undefined> {
    const rejection = this.validate(request);
    if (rejection !== null) {
      if (request.method !== 'ACK') await this.transactions.sendStatelessResponse(rejectionResponse(request, rejection), source);
      return undefined;
    }
    const uri = target === undefined ? request.uri.clone() : target.uri;
    const loop = this.hashOf(request);
    // Derived from the loop hash and the received branch alone: the same for a retransmission, different per transaction.
    const suffix = hash('sha1', `${loop}\n${request.topVia?.branch ?? ''}`, 'base64url').slice(0, 10);
    // Signed so that its answer, which comes back as a stray response, is relayed; an ACK has no answer.
    const branch = request.method === 'ACK' ? proxyBranch(loop, suffix) : this.signedBranch(loop, suffix);
    const { request: out, hop } = this.prepare(request, { uri, via: target?.via }, false, source.transport, branch);
    return this.transactions.sendStateless(out, hop);
  }

  /**
   * An ACK no transaction absorbed (the ACK for a 2xx): forwarded
   * statelessly when it follows a route set we record-routed, dropped when
   * it is routed through us any other way (an ACK is never answered).
   * False when it is for us.
   */
  handleAck(ack: SipRequest, source: MessageSource): boolean {
    const ours = this.followsOurRecordRoute(ack);
    if (ack.routes.length === 0 && this.isLocalUri(ack.uri)) return false;
    if (!ours) return true;
    const flow = this.flowOfRoute(ack, source);
    // An ACK for a flow that has failed has nowhere to go, and gets no answer.
    if (flow === 'failed') return true;
    this.forwardStateless(ack, source, flow === undefined ? undefined : { uri: ack.uri.clone(), via: flow }).catch((err) => this.reportError(err));
    return true;
  }

  /** A response no client transaction took (a late 2xx, or an answer to a stateless forward): relayed upstream. */
  handleStrayResponse(response: SipResponse): boolean {
    const top = response.topVia;
    if (top === undefined || loopHashOfBranch(top.branch) === undefined || !this.options.isLocal(top.host, top.port)) return false;
    // Only what answers a request we forwarded: anyone can write our address in a Via.
    if (!this.tokens.verifiesBranch(top.branch!, RFC3261_BRANCH_PREFIX)) return false;
    if (response.getAll('Via').length < 2) return false;
    response.removeTopVia();
    this.transactions.sendStatelessResponse(response).catch((err) => this.reportError(err));
    return true;
  }

  /** @internal ProxyHost. */
  forwardBranch(
    received: SipRequest,
    target: ProxyTarget,
    recordRoute: boolean,
    incoming: ServerTransaction,
    owner: ClientTransactionOwner,
  ): { request: SipRequest; tx: ClientTransaction } {
    const branch = this.signedBranch(this.hashOf(received), `${(++this.counter).toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`);
    const { request, hop } = this.prepare(
      received,
      target,
      recordRoute,
      incoming.source.transport,
      branch,
      recordRoute ? this.recordRouteFlow(received, incoming.source, target) : undefined,
    );
    return { request, tx: this.transactions.createClientTransaction(request, hop, owner) };
  }

  /**
   * RFC 3263 sends a forward of ours over `to` rather than the `from` its
   * Record-Route was written for: the entries of ours on top are written
   * again as `prepare` would have with `to` as the next hop's transport.
   */
  retargetRecordRoute(request: SipRequest, from: TransportProtocol, to: TransportProtocol): void {
    const values = request.getAll('Record-Route');
    const ours = request.recordRoutes.map((r) => r.uri);
    if (values.length !== ours.length || !this.isOurRecordRoute(ours[0], from)) return;
    const token = ours[0]!.param(ROUTE_TOKEN_PARAM)!;
    // Two of ours when the request changed transport here: the second names the side it came in on.
    const second = ours[1];
    const double = second !== undefined && second.param(ROUTE_TOKEN_PARAM) === token && this.isOurRecordRoute(second, uriTarget(second).transport);
    const incoming = double ? uriTarget(second).transport : from;
    const rest = values.slice(double ? 2 : 1);
    const flow = ours[0]!.user;
    const top = to === incoming ? [] : [this.recordRouteValue(to, token, flow)];
    request.set('Record-Route', [...top, this.recordRouteValue(incoming, token, flow), ...rest]);
  }

  private isOurRecordRoute(uri: SipUri | undefined, transport: TransportProtocol): boolean {
    if (uri === undefined || uri.param(ROUTE_TOKEN_PARAM) === undefined) return false;
    const mine = this.options.recordRouteUri(transport);
    return uri.host === mine.host && uri.port === mine.port && uriTarget(uri).transport === transport;
  }

  /**
   * A branch for a forward of ours failing over to its next RFC 3263 target:
   * the same loop hash, a new suffix, signed. Undefined for a branch that is not ours.
   */
  renewBranch(old: string): string | undefined {
    const hash = loopHashOfBranch(old);
    if (hash === undefined || !this.tokens.verifiesBranch(old, RFC3261_BRANCH_PREFIX)) return undefined;
    return this.signedBranch(hash, `${(++this.counter).toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`);
  }

  /** @internal ProxyHost. */
  sendUpstream(tx: ServerTransaction, response: SipResponse): void {
    if (tx.isTerminated) {
      if (response.status >= 200 && response.status < 300) {
        this.transactions.sendStatelessResponse(response, tx.source).catch((err) => this.reportError(err));
      }
      return;
    }
    tx.respond(response);
  }

  /** @internal ProxyHost. */
  finished(ctx: ProxyContext): void {
    if (this.contexts.get(ctx.serverTransaction) === ctx) this.contexts.delete(ctx.serverTransaction);
  }

  /** @internal ProxyHost. */
  reportError(err: unknown): void {
    this.options.onError?.(err);
  }

  /**
   * §16.6 steps 1-8: copy, new Request-URI, Max-Forwards, Record-Route
   * (two entries when the transport changes, so each side sees its own),
   * strict-route post-processing, next hop, our Via.
   */
  private prepare(
    received: SipRequest,
    target: ProxyTarget,
    recordRoute: boolean,
    incoming: TransportProtocol,
    branch: string,
    flow?: string,
  ): { request: SipRequest; hop: TransportTarget } {
    const request = received.clone();
    const uri = typeof target.uri === 'string' ? SipUri.parse(target.uri) : target.uri.clone();
    request.uri = uri;
    const maxForwards = received.maxForwards;
    request.set('Max-Forwards', String(maxForwards === undefined ? 70 : maxForwards - 1));
    if (target.routes !== undefined && target.routes.length > 0) request.set('Route', [...target.routes, ...request.getAll('Route')]);
    const first = request.routes[0];
    if (first !== undefined && first.uri.param('lr') === undefined) {
      // §16.6 step 6: the next hop is a strict router; it gets the Request-URI, ours goes last in Route.
      const routes = request.getAll('Route').slice(1);
      routes.push(`<${request.uri.toString()}>`);
      request.uri = first.uri.clone();
      request.set('Route', routes);
    }
    const hop = target.via ?? nextHopForRequest(request);
    if (recordRoute) {
      const token = this.tokens.issue(received);
      if (hop.transport !== incoming) request.add('Record-Route', this.recordRouteValue(incoming, token, flow), true);
      request.add('Record-Route', this.recordRouteValue(hop.transport, token, flow), true);
    }
    // As an object: the transport stamps it (stampVia) without parsing it back.
    const via = new Via(hop.transport, '0.0.0.0');
    via.params.set('branch', branch);
    via.params.set('rport', null);
    request.prependVia(via);
    return { request, hop };
  }

  private recordRouteValue(transport: TransportProtocol, token: string, flow: string | undefined): string {
    const uri = this.options.recordRouteUri(transport).clone();
    uri.params.set('lr', null);
    uri.params.set(ROUTE_TOKEN_PARAM, token);
    if (flow !== undefined) {
      uri.user = flow;
      uri.params.set('ob', null);
    }
    return new NameAddr(uri).toString();
  }

  /**
   * RFC 5626 §5.1: the flow token our Record-Route carries for a dialog
   * with an outbound client: the flow a branch goes out on (a binding
   * reached over its flow), or the one a request came in on from a client
   * whose Contact says `;ob`.
   */
  private recordRouteFlow(received: SipRequest, source: MessageSource, target: ProxyTarget): string | undefined {
    const via = target.via;
    if (via?.connectionId !== undefined) {
      return this.flows.issue({ transport: via.transport, remoteAddress: via.host, remotePort: via.port ?? 0, connectionId: via.connectionId });
    }
    let outbound = false;
    try {
      outbound = received.contacts.some((c) => c.uri.param('ob') !== undefined);
    } catch {
      // A malformed Contact names no flow; the request's own problem.
    }
    return outbound ? this.flows.issue(source) : undefined;
  }

  /**
   * RFC 5626 §5.3: the flow a Route of ours the request carried names,
   * unless the request came in over that flow (then it goes the other way,
   * as any other); 'failed' when that flow has closed.
   */
  private flowOfRoute(request: SipRequest, source: MessageSource): TransportTarget | 'failed' | undefined {
    for (const uri of this.processRoutes(request)) {
      const flow = this.flowOf(uri);
      if (flow === undefined) continue;
      const sameFlow =
        flow.connectionId !== undefined
          ? flow.connectionId === source.connectionId
          : source.connectionId === undefined && flow.remoteAddress === source.remoteAddress && flow.remotePort === source.remotePort;
      return sameFlow ? undefined : this.targetOfFlow(flow);
    }
    return undefined;
  }

  private flowOf(uri: SipUri): Flow | undefined {
    return uri.user === undefined || !this.isLocalUri(uri) ? undefined : this.flows.open(uri.user);
  }

  private targetOfFlow(flow: Flow): TransportTarget | 'failed' {
    const target: TransportTarget = { transport: flow.transport, host: flow.remoteAddress, port: flow.remotePort };
    if (flow.connectionId === undefined) return target;
    if (!(this.options.isConnectionOpen?.(flow.connectionId, flow.remoteAddress, flow.remotePort) ?? true)) return 'failed';
    target.connectionId = flow.connectionId;
    return target;
  }

  /**
   * §16.4: a Request-URI we put in a Record-Route means the previous hop is
   * a strict router: the real target is the last Route. Then every Route
   * of ours on top is removed. Returns the URIs of ours taken off (for
   * their tokens); the same list when called again.
   */
  private processRoutes(request: SipRequest): SipUri[] {
    const done = request.ownRoutes;
    if (done !== undefined) return done;
    const ours: SipUri[] = [];
    request.ownRoutes = ours;
    let routes = request.getAll('Route');
    if (routes.length > 0 && this.isLocalUri(request.uri) && request.uri.param('lr') !== undefined) {
      ours.push(request.uri);
      request.uri = NameAddr.parseWithUri(routes[routes.length - 1]!).uri;
      routes = routes.slice(0, -1);
      request.set('Route', routes);
    }
    let removed = 0;
    for (; removed < routes.length; removed++) {
      const uri = NameAddr.parseWithUri(routes[removed]!).uri;
      if (!this.isLocalUri(uri) && !this.isPeerRoute(uri, request)) break;
      ours.push(uri);
    }
    if (removed > 0) {
      if (removed === routes.length) request.remove('Route');
      else request.set('Route', routes.slice(removed));
    }
    return ours;
  }

  /**
   * A Route another node sharing our route secret record-routed for this
   * dialog (a node of the cluster that has died): we take its place, so an
   * in-dialog request the dispatcher fails over to us goes on.
   */
  private isPeerRoute(uri: SipUri, request: SipRequest): boolean {
    return uri.isSip && this.tokens.verifies(uri.param(ROUTE_TOKEN_PARAM), request);
  }

  private isLocalUri(uri: SipUri): boolean {
    return uri.isSip && this.options.isLocal(uri.host, uri.port);
  }

  /** Our branch format (loop hash, '.', suffix) signed, so that a stray response to it can be told from a made-up one. */
  private signedBranch(hash: string, suffix: string): string {
    const branch = proxyBranch(hash, suffix);
    return `${branch}.${this.tokens.signBranch(branch.slice(RFC3261_BRANCH_PREFIX.length))}`;
  }

  /** The loop hash of a received request (after Route processing), computed once: validation and every branch need it. */
  private hashOf(request: SipRequest): string {
    return (request.loopHash ??= loopHash(request, request.getAll('Route')));
  }

  private safe(fn: () => unknown): void {
    try {
      fn();
    } catch (err) {
      this.reportError(err);
    }
  }
}

function rejectionResponse(request: SipRequest, rejection: ProxyRejection): SipResponse {
  const response = SipResponse.fromRequest(request, rejection.status, rejection.reason);
  for (const [name, value] of Object.entries(rejection.headers ?? {})) response.set(name, value);
  return response;
}
