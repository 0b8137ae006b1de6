import type { EventType } from '../../../slee/component-model/event-type.js';
import type { ConfigProperties, ResourceAdaptor } from '../../../slee/resource-adaptor/resource-adaptor.js';
import type { ResourceAdaptorContext } from '../../../slee/resource-adaptor/resource-adaptor-context.js';
import type { UsageParameterSet } from '../../../slee/facilities/usage/usage-parameter-set.js';
import type { SipStack } from '../stack/index.js';
import { SipProvider } from './sip-provider.js';
import { SIP_EVENT_TYPES } from './sip-event-types.js';
import { sipRaConfig, type SipRaConfig } from './sip-ra-config.js';
import { SipActivityEndpoint } from './sip-activity-endpoint.js';
import { ServerActivities } from './server-activities.js';
import { startSipStack } from './start-sip-stack.js';
import type { SipStackOptions } from '../stack/index.js';
import { sleeAdmission } from './slee-admission.js';
import { drainingAdmission } from './draining-admission.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { registerSipMetrics } from './sip-metrics.js';
import type { SipObserver } from './sip-observer.js';
import type { Clock } from '../../../base/clock/clock.js';
import { CallTracker } from '../stack/call-tracker.js';
import { TransportLayer, type WireMessage } from '../transport/index.js';
import { wireSummary } from './wire-summary.js';

const USAGE_COUNTERS = ['requestsIn', 'unanswered', 'handlerFailures', 'dialogs'];

/** What the node that creates the adaptor adds to its configuration properties. */
export interface SipResourceAdaptorOptions {
  /** The answer to OPTIONS for the server itself (a clustered node's state); see SipStackOptions. */
  optionsAnswer?: SipStackOptions['optionsAnswer'];
  /** True while a clustered node drains: new INVITEs get 503 and the dispatcher sends them elsewhere. */
  draining?: () => boolean;
  /** Follows call attempts and registrations, and receives message traces. */
  observer?: SipObserver;
  /** The stack's clock, shared with the node that drives time (a count or a test); default one the stack owns. */
  clock?: Clock;
}

/**
 * The SIP resource adaptor: incoming out-of-dialog requests become
 * server-transaction activities with an event per method; dialogs and
 * client transactions are activities too. SBBs reach the stack through
 * `SipProvider` (`@RaLink('sip')`).
 */
export class SipResourceAdaptor implements ResourceAdaptor {
  readonly eventTypes: readonly EventType[] = SIP_EVENT_TYPES;
  private context: ResourceAdaptorContext | null = null;
  private config: SipRaConfig = sipRaConfig({});
  private current: SipStack | null = null;
  private usage: UsageParameterSet | null = null;
  private calls: CallTracker | null = null;
  private readonly activities = new SipActivityEndpoint(
    () => this.stack,
    () => this.context,
    () => this.usage?.increment('dialogs'),
  );
  private readonly requests = new ServerActivities({
    host: this.activities,
    activeStack: () => this.current,
    answerTimeoutMs: (method) => (method === 'INVITE' ? this.config.inviteAnswerTimeoutMs : this.config.answerTimeoutMs),
    count: (counter) => this.usage?.increment(counter),
    warn: (message) => this.context?.tracer.warning(message),
    decided: (request, service) => {
      if (request.method === 'INVITE') this.calls?.decided(request.callId, service);
    },
  });
  private readonly provider = new SipProvider(this.activities);

  constructor(private readonly options: SipResourceAdaptorOptions = {}) {}

  get stack(): SipStack {
    if (!this.current) throw new SleetError(ErrorCode.INVALID_STATE, 'the SIP resource adaptor is not active');
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
    registerSipMetrics(context.metrics, () => this.current);
  }

  raVerifyConfiguration(config: ConfigProperties): void {
    sipRaConfig(config);
  }

  raConfigure(config: ConfigProperties): void {
    this.config = sipRaConfig(config);
  }

  async raActive(): Promise<void> {
    const admission = this.context?.admission;
    // A refused attempt is counted (the stack's shed requests), not written as a call record: the refusal must stay cheap.
    const overload = admission === undefined ? undefined : sleeAdmission(admission, (callId) => this.calls?.forget(callId));
    const draining = this.options.draining;
    const stack = await startSipStack(this.config, {
      admission: draining === undefined ? overload : drainingAdmission(draining, overload),
      onError: (err) => this.context?.tracer.warning('SIP stack error', err),
      logMalformed: (line) => this.context?.tracer.warning(line),
      ...(this.options.optionsAnswer ? { optionsAnswer: this.options.optionsAnswer } : {}),
      ...(this.options.clock ? { clock: this.options.clock } : {}),
      // A shed request answered unparsed reaches no observer: while a trace is on, every message takes the full parse.
      screenWhen: () => this.options.observer?.tracing !== true && this.context?.tracer.isEnabled('FINE') !== true,
    });
    this.watchWire(stack);
    // Under overload the wait is in the sockets' queues, before the event loop sees anything: admission control hears of it.
    if (admission !== undefined && stack.transport instanceof TransportLayer)
      await stack.transport.probeInputDelay(
        (tick) => admission.onSample(tick),
        (ms) => admission.noteInputDelay(ms),
      );
    stack.setRequestHandler((request, tx) => this.requests.onRequest(request, tx));
    stack.onTransactionEnd = (tx) => this.requests.onTransactionEnd(tx);
    stack.onUnknownDialog = (request, tx) => this.activities.takeOverDialog(request, tx);
    stack.dialogs.on('cancel', (invite, cancel) => this.requests.onCancel(invite, cancel));
    this.current = stack;
    this.requests.accepting = true;
    const points = stack.listenPoints.map((p) => `${p.transport}:${p.address}:${p.port}`).join(', ');
    this.context?.tracer.info(`SIP listening on ${points} for domains ${this.config.domains.join(', ') || '(any)'}`);
  }

  /** New out-of-dialog requests are refused with 503 while existing activities finish. */
  raStopping(): void {
    this.requests.accepting = false;
  }

  async raInactive(): Promise<void> {
    this.requests.accepting = false;
    await this.current?.close();
    this.calls?.close();
    this.calls = null;
    this.current = null;
  }

  /**
   * One observer of the stack's messages: the call tracker (with an
   * observer), a line per message while the entity's tracer is at FINE,
   * and the message trace while it is on.
   */
  private watchWire(stack: SipStack): void {
    const context = this.context;
    if (context === null || !(stack.transport instanceof TransportLayer)) return;
    const entity = context.entityName;
    const observer = this.options.observer;
    const tracer = context.tracer;
    const calls =
      observer === undefined
        ? null
        : new CallTracker({
            clock: stack.clock,
            onCall: (record) => observer.callEnded(record, entity),
            onRegistration: (record) => observer.registered(record, entity),
          });
    this.calls = calls;
    stack.transport.observe((wire: WireMessage) => {
      calls?.observe(wire);
      if (tracer.isEnabled('FINE')) tracer.fine(wireSummary(wire));
      if (observer?.tracing === true) observer.traced(wire, entity);
    });
  }

  getSbbInterface(): SipProvider {
    return this.provider;
  }

  activityEnded(handle: string): void {
    this.requests.activityEnded(handle);
  }

  /** A durable timer another node set on one of its dialogs fires here: the dialog is rebuilt from the snapshot it replicated. */
  recreateActivity(handle: string, adaptorState?: unknown): object | null {
    return this.activities.recreateActivity(handle, adaptorState);
  }

  activityAdopted(handle: string): void {
    this.activities.activityAdopted(handle);
  }
}
