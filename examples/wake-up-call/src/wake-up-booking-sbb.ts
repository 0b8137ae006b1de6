import {
  ActivityContextNamingFacility,
  InitialEvent,
  NullActivityFactory,
  RaLink,
  Sbb,
  Service,
  TimerFacility,
  type ActivityContextInterface,
  type InitialEventSelector,
  type ServiceStartedEvent,
} from 'sleet';
import { exposeRoutes, type HttpProvider, type HttpRequestEvent } from 'sleet/http';
import type { SipProvider, SipRequestEvent } from 'sleet/sip';
import { parseWakeUpTime, type WakeUpTime } from './parse-wake-up-time.js';
import { WAKE_UP_ROUTES, type NewWakeUp } from './wake-up-routes.js';
import { subscriberUri } from './subscriber-uri.js';
import type { WakeUp } from './wake-up.js';

/** The user part of the service's SIP address: MESSAGEs to `sip:wakeup@<domain>` book wake-up calls. */
export const WAKE_UP_USER = 'wakeup';

/**
 * Books wake-up calls from a SIP MESSAGE ("wake me at 07:00") to
 * `sip:wakeup@<domain>` or from `POST /wakeups {who, at}`: sets a durable
 * timer whose payload says whom to call, and answers. It does not handle
 * the expiry: that is the WakeUpCall service, which gets it as an initial
 * event by address — also after a restart, when the timer fires on a fresh
 * null activity (docs/timers.md).
 */
@Service({ name: 'WakeUpBooking', vendor: 'sleet', version: '1.0', priority: 20, skipAnswered: true })
@Sbb({ name: 'WakeUpBookingSbb', vendor: 'sleet', version: '1.0' })
export class WakeUpBookingSbb {
  constructor(
    @RaLink('sip') private readonly sip: SipProvider,
    @RaLink('http') private readonly http: HttpProvider,
    private readonly timers: TimerFacility,
    private readonly nullActivities: NullActivityFactory,
    private readonly naming: ActivityContextNamingFacility,
  ) {}

  /** Once the service is active: its HTTP route (with the POST body schema). */
  @InitialEvent()
  onServiceStarted(_event: ServiceStartedEvent, aci: ActivityContextInterface) {
    exposeRoutes(this.http, aci, WAKE_UP_ROUTES);
  }

  /** Only MESSAGEs to the service address are bookings. */
  selectMessage(selector: InitialEventSelector): InitialEventSelector {
    const user = /^sips?:([^@]+)@/.exec(selector.address ?? '')?.[1];
    return user === WAKE_UP_USER ? selector : { ...selector, initialEvent: false };
  }

  selectRequest(selector: InitialEventSelector<HttpRequestEvent>): InitialEventSelector<HttpRequestEvent> {
    const { request } = selector.event;
    return request.route === '/wakeups' ? selector : { ...selector, initialEvent: false };
  }

  @InitialEvent({ selector: 'selectMessage' })
  onMessage({ request, transaction }: SipRequestEvent) {
    const text = request.body.toString('utf8');
    const time = parseWakeUpTime(text, new Date());
    if ('error' in time) return transaction.respond(400, { reason: 'Unreadable Wake-up Time', body: time.error, contentType: 'text/plain' });
    const from = request.from.uri.clone();
    from.params.clear();
    const wakeUp = this.book(from.toString(), time.at);
    return transaction.respond(200, { body: `wake-up call at ${new Date(wakeUp.at).toString()}`, contentType: 'text/plain' });
  }

  @InitialEvent({ selector: 'selectRequest' })
  onHttpPost({ request }: HttpRequestEvent<NewWakeUp>) {
    const body = request.body;
    const time = dueTime(body.at, new Date());
    if ('error' in time) return this.http.respond(request, 400, { error: time.error });
    const { id, ...wakeUp } = this.book(subscriberUri(body.who, this.sip), time.at);
    return this.http.respond(request, 201, { id, who: wakeUp.who, at: new Date(wakeUp.at).toISOString() });
  }

  /**
   * The timer lives on a null activity of its own (the request's activity
   * ends with the answer, which would cancel it); the name binding keeps
   * that activity alive until the wake-up call ends it.
   */
  private book(who: string, at: number): WakeUp & { id: string } {
    const holder = this.nullActivities.createNullActivity();
    const aci = this.nullActivities.getActivityContextInterface(holder);
    const payload: WakeUp = { who, at };
    const id = this.timers.setTimer(aci, { startTime: at, address: who, payload });
    this.naming.bind(aci, `wake-up/${id}`);
    return { id, ...payload };
  }
}

/** `at` of the REST API: epoch ms, an ISO 8601 time, or a clock time such as `07:00`. */
function dueTime(at: number | string, now: Date): WakeUpTime {
  if (typeof at === 'number') return at > now.getTime() ? { at } : { error: 'at is in the past' };
  if (/^\d{1,2}([:.h]\d{2})?\s*(am|pm)?$/i.test(at.trim())) return parseWakeUpTime(`at ${at}`, now);
  const parsed = Date.parse(at);
  if (Number.isNaN(parsed)) return { error: `at '${at}' is neither a time of day, an ISO 8601 time nor ms since the epoch` };
  return parsed > now.getTime() ? { at: parsed } : { error: 'at is in the past' };
}
