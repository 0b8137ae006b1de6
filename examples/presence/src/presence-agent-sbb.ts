import {
  ActivityContextInterfaceFactory,
  Cmp,
  InitialEvent,
  NullActivityFactory,
  Sbb,
  SbbContext,
  Service,
  TimerFacility,
  type ActivityContextInterface,
  type InitialEventSelector,
  type NullActivity,
  type TimerEvent,
} from 'sleet';
import { AuthAttributes } from 'sleet/sbbs';
import {
  addressOfRequest,
  eventHeaderOf,
  parsePublish,
  SipEventPackages,
  SubscriptionActivity,
  type ServerTransactionActivity,
  type SipRequestEvent,
  type SubscriptionTerminatedEvent,
} from 'sleet/sip';
import { closedDocument, pidfProblem, PIDF_TYPE } from './pidf.js';
import { currentDocument, newEntityTag, without, type Publications } from './publications.js';

/** Expiry of publications and subscriptions, seconds: the default and cap (RFC 3856 §6.4: one hour). */
export const PRESENCE_MAX_EXPIRES = 3600;

interface PublicationTimer {
  etag: string;
}

/**
 * A presence agent (RFC 3856) for every address of this domain: an event
 * state compositor for PUBLISH (RFC 3903: entity tags, refresh, modify,
 * remove, expiry) of PIDF documents (RFC 3863), and a notifier for
 * SUBSCRIBE (RFC 6665): a watcher gets the current document at once and
 * again whenever a publication changes it. One SBB entity per presentity
 * (initial events converge on the To address); it stays while a watcher or
 * a publication is attached. Publications expire on SLEE timers, on a null
 * activity of the entity's own; subscriptions expire in the SIP stack,
 * which sends the terminating NOTIFY.
 */
@SipEventPackages('presence')
@Service({ name: 'PresenceAgent', vendor: 'sleet', version: '1.0', priority: 60, skipAnswered: true })
@Sbb({ name: 'PresenceAgentSbb', vendor: 'sleet', version: '1.0' })
export class PresenceAgentSbb {
  @Cmp() presentity = '';
  @Cmp() publications: Publications = {};
  /** The null activity the publication timers run on. */
  @Cmp() timerActivity = '';

  constructor(
    private readonly context: SbbContext,
    private readonly acis: ActivityContextInterfaceFactory,
    private readonly timers: TimerFacility,
    private readonly nullActivities: NullActivityFactory,
  ) {}

  /** SUBSCRIBE and PUBLISH of the presence package only; other packages are for other services, or get 489. */
  selectPresence(selector: InitialEventSelector<SipRequestEvent>): InitialEventSelector<SipRequestEvent> {
    const { request } = selector.event;
    let eventPackage: string | undefined;
    try {
      eventPackage = eventHeaderOf(request)?.package;
    } catch {
      eventPackage = undefined;
    }
    return eventPackage === 'presence' ? selector : { ...selector, initialEvent: false };
  }

  @InitialEvent({ select: ['Address'], selector: 'selectPresence' })
  onSubscribe({ transaction }: SipRequestEvent) {
    this.presentity ||= entityOf(transaction);
    const subscription = transaction.acceptSubscription({ maxExpires: PRESENCE_MAX_EXPIRES, body: this.document(), contentType: PIDF_TYPE });
    this.acis.getActivityContextInterface(subscription).attach();
  }

  @InitialEvent({ select: ['Address'], selector: 'selectPresence' })
  onPublish({ request, transaction }: SipRequestEvent, aci: ActivityContextInterface<SipRequestEvent>) {
    this.presentity ||= entityOf(transaction);
    // Where the digest-auth service runs, only the presentity itself publishes its presence.
    const publisher = aci.get<string>(AuthAttributes.AOR);
    if (publisher !== undefined && publisher !== addressOfRequest(request)) {
      return void transaction.respond(403, { reason: 'Forbidden - only the presentity publishes its presence' });
    }
    const publish = parsePublish(request);
    if (publish.kind === 'invalid') return void transaction.respond(publish.status, { reason: publish.reason, headers: { 'Allow-Events': 'presence' } });
    const now = Date.now();
    const before = this.document();
    // Set by every kind of PUBLISH that gets this far: the new document, or the refreshed one's.
    let pidf = '';
    let modifiedAt = now;
    if (publish.kind === 'initial' || publish.kind === 'modify') {
      if (publish.contentType?.toLowerCase() !== PIDF_TYPE) return void transaction.respond(415, { headers: { Accept: PIDF_TYPE } });
      pidf = publish.body.toString('utf8');
      const problem = pidfProblem(pidf);
      if (problem !== null) return void transaction.respond(400, { reason: `Bad Request - not a PIDF document: ${problem}` });
    }
    if (publish.kind !== 'initial') {
      const existing = this.publications[publish.etag];
      // RFC 3903 §6 step 4: an entity tag we do not hold (expired, or never ours).
      if (existing === undefined || existing.expiresAt <= now) return void transaction.respond(412, { reason: 'Conditional Request Failed' });
      this.publications = without(this.publications, publish.etag);
      if (publish.kind === 'remove') {
        transaction.respond(200, { headers: { Expires: '0' } });
        this.notifyIfChanged(before);
        return this.releaseTimerActivityIfIdle();
      }
      if (publish.kind === 'refresh') {
        pidf = existing.pidf;
        modifiedAt = existing.modifiedAt;
      }
    }
    // RFC 3903 §4.1: every successful PUBLISH gets a fresh entity tag.
    const etag = newEntityTag();
    const expires = Math.min(publish.expires ?? PRESENCE_MAX_EXPIRES, PRESENCE_MAX_EXPIRES);
    this.publications = { ...this.publications, [etag]: { pidf, expiresAt: now + expires * 1000, modifiedAt } };
    this.timers.setTimer(this.timerAci(), { delay: expires * 1000, payload: { etag } satisfies PublicationTimer });
    transaction.respond(200, { headers: { 'SIP-ETag': etag, Expires: String(expires) } });
    this.notifyIfChanged(before);
  }

  /** A publication's timer: gone unless refreshed meanwhile (a refresh moves it to a new entity tag). */
  onTimer(event: TimerEvent<PublicationTimer | undefined, NullActivity>) {
    const etag = event.payload?.etag;
    if (etag === undefined || this.publications[etag] === undefined) return;
    const before = this.document();
    this.publications = without(this.publications, etag);
    this.notifyIfChanged(before);
    this.releaseTimerActivityIfIdle();
  }

  onSubscriptionTerminated(_event: SubscriptionTerminatedEvent, aci: ActivityContextInterface) {
    aci.detach();
  }

  private document(): string {
    return currentDocument(this.publications) ?? closedDocument(this.presentity);
  }

  private notifyIfChanged(before: string): void {
    const now = this.document();
    if (now === before) return;
    for (const aci of this.context.getActivities()) {
      const activity = aci.activity;
      if (activity instanceof SubscriptionActivity && !activity.subscription.isTerminated) activity.notify({ body: now, contentType: PIDF_TYPE });
    }
  }

  /** With no publication left, the timers' null activity goes, so the entity can go with its last watcher. */
  private releaseTimerActivityIfIdle(): void {
    if (Object.keys(this.publications).length > 0 || this.timerActivity === '') return;
    const holder = this.context.getActivities().find((aci) => isTimerHolder(aci.activity, this.timerActivity))?.activity;
    if (holder !== undefined && isTimerHolder(holder, this.timerActivity)) holder.endActivity();
    this.timerActivity = '';
  }

  private timerAci(): ActivityContextInterface {
    const existing = this.context.getActivities().find((aci) => this.timerActivity !== '' && isTimerHolder(aci.activity, this.timerActivity));
    if (existing !== undefined) return existing;
    const holder = this.nullActivities.createNullActivity();
    const aci = this.nullActivities.getActivityContextInterface(holder);
    aci.attach();
    this.timerActivity = holder.id;
    return aci;
  }
}

/** Of the entity's activities (subscriptions, the timers' null activity), the null activity with the id it keeps. */
function isTimerHolder(activity: object, id: string): activity is NullActivity {
  return 'id' in activity && activity.id === id && 'endActivity' in activity;
}

/** The presentity a request is about: its To URI without parameters. */
function entityOf(transaction: ServerTransactionActivity): string {
  const uri = transaction.request.to.uri.clone();
  uri.params.clear();
  return uri.toString();
}
