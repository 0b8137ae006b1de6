import {
  ActivityContextInterfaceFactory,
  ActivityContextNamingFacility,
  Cmp,
  InitialEvent,
  NullActivityFactory,
  RaLink,
  Sbb,
  SbbContext,
  Service,
  TimerFacility,
  type ActivityContextInterface,
  type InitialEventSelector,
  type NullActivity,
  type ServiceStartedEvent,
  type TimerEvent,
} from 'sleet';
import { exposeRoutes, type HttpProvider, type HttpRequestEvent } from 'sleet/http';
import type { B2buaActivity, B2buaStateChangedEvent, SipProvider } from 'sleet/sip';
import { CallStartedEvent, type CallStarted } from './call-started-event.js';
import { CLICK_TO_DIAL_ROUTES, type NewCall } from './click-to-dial-routes.js';
import { partyUri } from './party-uri.js';
import type { CallStateChange } from './call-state-change.js';

/** How long a terminated call stays readable with GET /calls/:id. */
export const TERMINATED_CALL_RETENTION_MS = 5 * 60_000;

const NAME_PREFIX = 'click-to-dial/';
const STATE_ORDER: readonly string[] = ['idle', 'calling-a', 'calling-b', 'connected', 'terminated'];
/** The timer that ends a terminated call's retention, on the null activity that keeps it. */
type RetentionTimer = TimerEvent<undefined, NullActivity>;

/**
 * Click-to-dial (RFC 3725 third-party call control) over REST.
 *
 * Each call has one SBB entity holding its state in CMP fields. It is the
 * root entity whose convergence name is the call id (a custom name): the
 * `CallStarted` event that the POST handler fires on the bridged call's
 * activity creates it, and `GET`/`DELETE /calls/:id` converge on it by the
 * same name, so the request events are delivered to the entity that owns
 * the state, instead of the state being copied somewhere a reader can reach.
 * The bridged call's activity is also bound in the naming facility under
 * the call id, so a request that arrives before `CallStarted` has been
 * processed still finds the call.
 */
@Service({ name: 'ClickToDial', vendor: 'sleet', version: '1.0' })
@Sbb({ name: 'ClickToDialSbb', vendor: 'sleet', version: '1.0' })
export class ClickToDialSbb {
  @Cmp() callId = '';
  @Cmp() from = '';
  @Cmp() to = '';
  @Cmp() state = '';
  @Cmp() reason = '';
  @Cmp() webhook = '';
  @Cmp() changes = 0;
  /** State changes not yet delivered to the webhook, oldest first; one is in flight at a time so they arrive in order. */
  @Cmp() webhookQueue: CallStateChange[] = [];
  @Cmp() webhookBusy = false;

  constructor(
    @RaLink('sip') private readonly sip: SipProvider,
    @RaLink('http') private readonly http: HttpProvider,
    private readonly acif: ActivityContextInterfaceFactory,
    private readonly naming: ActivityContextNamingFacility,
    private readonly nullActivities: NullActivityFactory,
    private readonly timers: TimerFacility,
    private readonly context: SbbContext,
  ) {}

  /** Once the service is active: its HTTP routes (with the POST body schema), then nothing more to do here. */
  @InitialEvent()
  onServiceStarted(_event: ServiceStartedEvent, aci: ActivityContextInterface) {
    exposeRoutes(this.http, aci, CLICK_TO_DIAL_ROUTES);
  }

  /** POST /calls: one fresh entity per request; GET and DELETE /calls/:id: the call's entity. Other routes are not ours. */
  selectRequest(selector: InitialEventSelector<HttpRequestEvent>): InitialEventSelector<HttpRequestEvent> {
    const { request } = selector.event;
    if (request.method === 'POST' && request.route === '/calls') return selector;
    if (request.route === '/calls/:id') return { ...selector, selected: new Set(), customName: request.params['id'] ?? '' };
    return { ...selector, initialEvent: false };
  }

  selectCall(selector: InitialEventSelector<CallStarted>): InitialEventSelector<CallStarted> {
    return { ...selector, selected: new Set(), customName: selector.event.callId };
  }

  @InitialEvent({ selector: 'selectRequest' })
  onHttpPost({ request }: HttpRequestEvent<NewCall>) {
    const body = request.body;
    const callId = crypto.randomUUID();
    const from = partyUri(body.from, this.sip);
    const to = partyUri(body.to, this.sip);
    const call = this.sip.bridge(from, to);
    const aci = this.acif.getActivityContextInterface(call);
    this.naming.bind(aci, NAME_PREFIX + callId);
    this.context.fireEvent(CallStartedEvent, { callId, from, to, webhook: body.webhook ?? null }, aci, { service: this.context.service });
    this.http.respond(request, 201, { id: callId, state: 'calling-a' }, { location: `/calls/${callId}` });
  }

  @InitialEvent({ selector: 'selectCall' })
  onCallStarted(event: CallStarted) {
    this.callId = event.callId;
    this.from = event.from;
    this.to = event.to;
    this.webhook = event.webhook ?? '';
    this.changeState('calling-a', '');
  }

  /** The call's own `calling-a` follows `CallStarted` on the activity: only changes that move the call on count. */
  onB2buaStateChanged(event: B2buaStateChangedEvent) {
    if (STATE_ORDER.indexOf(event.state) <= STATE_ORDER.indexOf(this.state)) return;
    this.changeState(event.state, event.reason ?? '');
  }

  @InitialEvent({ selector: 'selectRequest' })
  onHttpGet({ request }: HttpRequestEvent) {
    const id = request.params['id'] ?? '';
    if (this.state !== '') return this.http.respond(request, 200, this.view());
    const live = this.naming.lookup<B2buaActivity>(NAME_PREFIX + id);
    if (live === null) return this.http.respond(request, 404, { error: `no call ${id}` });
    return this.http.respond(request, 200, { id, state: live.activity.state, reason: null });
  }

  /** Hangs the call up; the state becomes `terminated` with reason `bye`. */
  @InitialEvent({ selector: 'selectRequest' })
  onHttpDelete({ request }: HttpRequestEvent) {
    const id = request.params['id'] ?? '';
    const live = this.naming.lookup<B2buaActivity>(NAME_PREFIX + id);
    if (live === null) {
      return this.state === '' ? this.http.respond(request, 404, { error: `no call ${id}` }) : this.http.respond(request, 200, this.view());
    }
    live.activity.hangup();
    return this.http.respond(request, 202, { id, state: 'terminating' });
  }

  onHttpResponse() {
    this.webhookDelivered();
  }

  onHttpClientError() {
    this.webhookDelivered();
  }

  /** The retention of a terminated call is over. */
  onTimer(_event: RetentionTimer, aci: ActivityContextInterface<RetentionTimer>) {
    aci.activity.endActivity();
  }

  private changeState(state: string, reason: string): void {
    this.state = state;
    this.reason = reason;
    this.changes += 1;
    if (state === 'terminated') this.retain();
    if (this.webhook === '') return;
    this.webhookQueue = [...this.webhookQueue, { id: this.callId, seq: this.changes, state, reason: reason || null }];
    if (!this.webhookBusy) this.sendWebhook();
  }

  /** The bridged call's activity ends with the call: a null activity keeps this entity (its state) readable a while longer. */
  private retain(): void {
    const holder = this.nullActivities.createNullActivity();
    const aci = this.nullActivities.getActivityContextInterface(holder);
    aci.attach();
    this.timers.setTimer(aci, { delay: TERMINATED_CALL_RETENTION_MS });
  }

  private sendWebhook(): void {
    const next = this.webhookQueue[0];
    if (next === undefined) {
      this.webhookBusy = false;
      return;
    }
    this.webhookBusy = true;
    const hook = this.http.request({ method: 'POST', url: this.webhook, body: next, timeoutMs: 5000 });
    this.acif.getActivityContextInterface(hook).attach();
  }

  private webhookDelivered(): void {
    this.webhookQueue = this.webhookQueue.slice(1);
    this.sendWebhook();
  }

  private view(): { id: string; from: string; to: string; state: string; reason: string | null } {
    return { id: this.callId, from: this.from, to: this.to, state: this.state, reason: this.reason || null };
  }
}
