import type { EventType } from '../../../slee/component-model/event-type.js';
import type { ConfigProperties, ResourceAdaptor } from '../../../slee/resource-adaptor/resource-adaptor.js';
import type { ResourceAdaptorContext } from '../../../slee/resource-adaptor/resource-adaptor-context.js';
import type { UsageParameterSet } from '../../../slee/facilities/usage/usage-parameter-set.js';
import { SipStack, type SipAdmission } from '../stack/index.js';
import type { Dialog } from '../dialog/index.js';
import { buildResponse } from '../dialog/index.js';
import { generateTag, type SipRequest } from '../message/index.js';
import type { ServerTransaction, Transaction } from '../transaction/index.js';
import type { ListenPointOptions, TransportProtocol } from '../transport/index.js';
import type { SipActivityHost } from './sip-activity-host.js';
import { ServerTransactionActivity } from './server-transaction-activity.js';
import { DialogActivity } from './dialog-activity.js';
import { InDialogRequest } from './in-dialog-request.js';
import { SipProvider } from './sip-provider.js';
import {
  DialogTerminatedEventType,
  SIP_EVENT_TYPES,
  SipRequestEvents,
  requestEventType,
  responseEventType,
} from './sip-event-types.js';
import { addressOfRequest } from './address-of-request.js';
import { sipRaConfig, type SipRaConfig } from './sip-ra-config.js';
import { freeSipPort } from './free-sip-port.js';
import { loadRouteSecret } from './route-secret-file.js';
import { readTlsFiles } from './tls-files.js';

const USAGE_COUNTERS = ['requestsIn', 'unanswered', 'handlerFailures', 'dialogs'];

/**
 * The SIP resource adaptor: incoming out-of-dialog requests become
 * server-transaction activities with an event per method; dialogs and
 * client transactions are activities too. SBBs reach the stack through
 * `SipProvider` (`@RaLink('sip')`).
 */
export class SipResourceAdaptor implements ResourceAdaptor, SipActivityHost {
  readonly eventTypes: readonly EventType[] = SIP_EVENT_TYPES;
  private context: ResourceAdaptorContext | null = null;
  private config: SipRaConfig = sipRaConfig({});
  private current: SipStack | null = null;
  private accepting = false;
  private handles = 0;
  /** Live server-transaction activities, by transaction (CANCEL, transaction end) and by handle (activity end). */
  private readonly serverActivities = new Map<ServerTransaction, ServerTransactionActivity>();
  private readonly serverActivityHandles = new Map<string, ServerTransaction>();
  private readonly dialogs = new Map<Dialog, DialogActivity>();
  private usage: UsageParameterSet | null = null;
  private readonly provider = new SipProvider(this);

  get stack(): SipStack {
    if (!this.current) throw new Error('the SIP resource adaptor is not active');
    return this.current;
  }

  /** The addresses the stack listens on, once active. */
  get listenPoints() {
    return this.current?.listenPoints ?? [];
  }

  get domains(): readonly string[] {
    return this.config.domains;
  }

  setResourceAdaptorContext(context: ResourceAdaptorContext): void {
    this.context = context;
    this.usage = context.usage(USAGE_COUNTERS);
  }

  raVerifyConfiguration(config: ConfigProperties): void {
    sipRaConfig(config);
  }

  raConfigure(config: ConfigProperties): void {
    this.config = sipRaConfig(config);
  }

  async raActive(): Promise<void> {
    const { host, transports, domains, maxMessageSize, udpReceiveBufferSize, timerC, routeSecretFile } = this.config;
    const plain = transports.filter((t) => t !== 'tls');
    const port = this.config.port === 0 && plain.length > 1 ? await freeSipPort(host) : this.config.port;
    const routeSecret = routeSecretFile === '' ? undefined : await loadRouteSecret(routeSecretFile);
    const tls = transports.includes('tls') ? readTlsFiles(this.config) : undefined;
    const listen: ListenPointOptions[] = plain.map((transport) => ({ transport: transport.toUpperCase() as TransportProtocol, host, port }));
    if (tls !== undefined) listen.push({ transport: 'TLS', host, port: this.config.tlsPort, tls });
    const stack = new SipStack({
      listen,
      domains,
      maxMessageSize,
      udpReceiveBufferSize,
      connectionLimits: {
        idleConnectionTimeoutMs: this.config.tcpIdleTimeoutMs,
        messageTimeoutMs: this.config.tcpMessageTimeoutMs,
        maxConnections: this.config.tcpMaxConnections,
        maxConnectionsPerSource: this.config.tcpMaxConnectionsPerSource,
      },
      ...(tls !== undefined ? { tlsClient: tls } : {}),
      proxy: { timerC, ...(routeSecret === undefined ? {} : { routeSecret }) },
      admission: this.admission(),
      onError: (err) => this.context?.tracer.warning('SIP stack error', err),
      logMalformed: (line) => this.context?.tracer.warning(line),
    });
    stack.setRequestHandler((request, tx) => this.onRequest(request, tx));
    stack.onTransactionEnd = (tx) => this.onTransactionEnd(tx);
    stack.dialogs.on('cancel', (invite, cancel) => this.onCancel(invite, cancel));
    try {
      await stack.start();
    } catch (err) {
      // A listen point that failed must not leave those already bound open (a UDP port bound before its TCP twin failed).
      await stack.close();
      throw err;
    }
    this.current = stack;
    this.accepting = true;
    const points = stack.listenPoints.map((p) => `${p.transport}:${p.address}:${p.port}`).join(', ');
    this.context?.tracer.info(`SIP listening on ${points} for domains ${domains.join(', ') || '(any)'}`);
  }

  /** The SLEE's admission control, as the stack asks it: new out-of-dialog requests only. */
  private admission(): SipAdmission | undefined {
    const admission = this.context?.admission;
    if (admission === undefined) return undefined;
    return {
      admit: () => admission.admit(),
      retryAfterSeconds: () => admission.retryAfterSeconds,
      rejectPercent: () => admission.rejectFraction * 100,
    };
  }

  /** New out-of-dialog requests are refused with 503 while existing activities finish. */
  raStopping(): void {
    this.accepting = false;
  }

  async raInactive(): Promise<void> {
    this.accepting = false;
    await this.current?.close();
    this.current = null;
  }

  getSbbInterface(): SipProvider {
    return this.provider;
  }

  /**
   * An activity ends at its request's final response, while the transaction
   * waits up to 32 s more (Timers J and L): forgetting it now rather than at
   * the transaction's end lets the activity, its request and its activity
   * context go with it.
   */
  activityEnded(handle: string): void {
    const tx = this.serverActivityHandles.get(handle);
    if (tx === undefined) return;
    this.serverActivityHandles.delete(handle);
    this.serverActivities.delete(tx);
  }

  // ---- SipActivityHost ---------------------------------------------------

  nextHandle(prefix: string): string {
    return `${prefix}-${++this.handles}`;
  }

  startActivity(handle: string, activity: object): void {
    this.endpoint().startActivity(handle, activity);
  }

  fire<E>(handle: string, type: EventType<E>, event: E, address?: string, onProcessed?: (failed: boolean, delivered: number) => void): void {
    // A late message (the 200 to a BYE) may arrive after its activity ended: nobody is left to tell.
    if (!this.endpoint().isActive(handle)) {
      onProcessed?.(false, 0);
      return;
    }
    try {
      this.endpoint().fireEvent(handle, type, event, {
        ...(address === undefined ? {} : { address }),
        ...(onProcessed ? { onProcessed } : {}),
      });
    } catch (err) {
      this.context?.tracer.warning(`could not fire ${type.name} on ${handle}`, err);
      onProcessed?.(true, 0);
    }
  }

  endActivity(handle: string): void {
    const endpoint = this.endpoint();
    if (endpoint.isActive(handle)) endpoint.endActivity(handle);
  }

  dialogActivity(dialog: Dialog): DialogActivity {
    const existing = this.dialogs.get(dialog);
    if (existing) return existing;
    const activity = new DialogActivity(this.nextHandle('dialog'), dialog);
    this.dialogs.set(dialog, activity);
    this.startActivity(activity.handle, activity);
    this.usage?.increment('dialogs');
    dialog.on('request', (request, tx) => {
      const inDialog = new InDialogRequest(request, tx, dialog);
      this.fire(activity.handle, requestEventType(request.method), { request, source: tx.source, transaction: null, inDialog, dialog: activity }, undefined, (failed, delivered) => {
        if (!inDialog.isAnswered) inDialog.respondDefault(failed ? 500 : delivered === 0 ? 501 : 500, failed ? 'Server Internal Error' : delivered === 0 ? 'Not Implemented' : 'Server Internal Error - no answer');
      });
    });
    dialog.on('ack', (ack) => this.fire(activity.handle, SipRequestEvents.ACK, { request: ack, source: null, transaction: null, inDialog: null, dialog: activity }));
    dialog.on('bye', (bye) => this.fire(activity.handle, SipRequestEvents.BYE, { request: bye, source: null, transaction: null, inDialog: null, dialog: activity }));
    dialog.on('response', (response) => this.fire(activity.handle, responseEventType(response.status), { response, transaction: null, dialog: activity }));
    dialog.on('terminated', (reason) => {
      this.fire(activity.handle, DialogTerminatedEventType, { dialog: activity, reason });
      this.dialogs.delete(dialog);
      this.endActivity(activity.handle);
    });
    return activity;
  }

  // ---- incoming requests --------------------------------------------------

  private onRequest(request: SipRequest, tx: ServerTransaction): boolean {
    this.usage?.increment('requestsIn');
    if (!this.accepting) {
      tx.respond(buildResponse(request, 503, { reason: 'Service Unavailable - shutting down', toTag: generateTag(), headers: { 'Retry-After': '5' } }));
      return true;
    }
    const activity = new ServerTransactionActivity(this.nextHandle('st'), request, tx, this);
    this.serverActivities.set(tx, activity);
    this.serverActivityHandles.set(activity.handle, tx);
    this.startActivity(activity.handle, activity);
    this.fire(activity.handle, requestEventType(request.method), { request, source: tx.source, transaction: activity, inDialog: null, dialog: null }, addressOfRequest(request), (failed, delivered) =>
      this.afterProcessing(activity, failed, delivered),
    );
    return true;
  }

  /** What no SBB answered gets the answer a SIP element owes: refusal, error, or a deadline. */
  private afterProcessing(activity: ServerTransactionActivity, failed: boolean, delivered: number): void {
    if (activity.isAnswered) return;
    const { request, transaction } = activity;
    if (failed) {
      this.usage?.increment('handlerFailures');
      activity.respond(500, { reason: 'Server Internal Error - service failed' });
    } else if (delivered === 0) {
      this.usage?.increment('unanswered');
      this.current?.answerUnhandled(transaction, request);
      // As activity.respond() does: answered is over for the activity, whatever Timer J keeps of the transaction.
      if (!transaction.awaitingFinal) this.endActivity(activity.handle);
    } else {
      const deadline = request.method === 'INVITE' ? this.config.inviteAnswerTimeoutMs : this.config.answerTimeoutMs;
      this.stack.clock.schedule(deadline, () => {
        if (activity.isAnswered) return;
        this.usage?.increment('unanswered');
        this.context?.tracer.warning(`no SBB answered ${request.method} ${request.callId} in ${deadline} ms`);
        activity.respond(500, { reason: 'Server Internal Error - no answer from the service' });
      });
    }
  }

  private onTransactionEnd(tx: Transaction): void {
    const activity = this.serverActivities.get(tx as ServerTransaction);
    if (activity === undefined) return;
    this.serverActivities.delete(tx as ServerTransaction);
    this.serverActivityHandles.delete(activity.handle);
    this.endActivity(activity.handle);
  }

  /** The stack answered a CANCEL (200) and its INVITE (487); SBBs learn of it on the INVITE's activity. */
  private onCancel(invite: ServerTransaction, cancel: SipRequest): void {
    const activity = this.serverActivities.get(invite);
    if (activity === undefined) return;
    activity.markCancelled();
    this.fire(activity.handle, SipRequestEvents.CANCEL, { request: cancel, source: null, transaction: activity, inDialog: null, dialog: null });
  }

  private endpoint() {
    if (!this.context) throw new Error('the SIP resource adaptor has no SLEE context yet');
    return this.context.endpoint;
  }
}
