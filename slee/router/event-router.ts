import type { EventType } from '../component-model/event-type.js';
import type { ActivityContext } from '../activity/activity-context.js';
import type { DeliveryHost } from './delivery-host.js';
import type { PendingEvent } from './pending-event.js';
import { EventDelivery, type DeliveryOutcome } from './event-delivery.js';

/**
 * Keeps each activity's events in order and runs deliveries. Activities are
 * independent: while one awaits an async handler, others go on. Events of
 * one activity are delivered one at a time, in the order they were fired.
 */
export class EventRouter {
  private readyList: ActivityContext[] = [];
  private scheduled = false;
  private seq = 0;
  private queued = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly host: DeliveryHost) {}

  enqueue(
    ac: ActivityContext,
    type: EventType,
    event: unknown,
    address: string | null,
    service: string | null,
    done?: (failed: boolean, delivered: number, answeredBy?: string) => void,
    answered?: () => boolean,
  ): void {
    ac.queue.push({ seq: ++this.seq, type, event, address, service, done, answered });
    this.queued++;
    if (!ac.busy && !ac.ready) {
      ac.ready = true;
      this.readyList.push(ac);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.drain);
      }
    }
  }

  /** Events queued or being delivered. */
  get backlog(): number {
    return this.queued;
  }

  /** Resolves once every queued event has been delivered. */
  idle(): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    const batch = this.readyList;
    this.readyList = [];
    for (const ac of batch) {
      ac.ready = false;
      this.run(ac);
    }
  };

  private run(ac: ActivityContext): void {
    ac.busy = true;
    while (ac.queue.length > 0) {
      const ev = ac.queue.shift()!;
      const outcome = this.deliver(ac, ev);
      if (!('failed' in outcome)) {
        // One reaction for both ends; completed() catches what its callbacks throw.
        void outcome.then(
          (result) => this.resume(ac, ev, result),
          (err: unknown) => this.resume(ac, ev, this.internalError(err, ac, ev)),
        );
        return;
      }
      this.completed(ev, outcome);
    }
    ac.busy = false;
  }

  private deliver(ac: ActivityContext, ev: PendingEvent): DeliveryOutcome | Promise<DeliveryOutcome> {
    try {
      return new EventDelivery(this.host, ac, ev).run();
    } catch (err) {
      return this.internalError(err, ac, ev);
    }
  }

  /** An event's asynchronous delivery is over: the activity's next event goes. */
  private resume(ac: ActivityContext, ev: PendingEvent, outcome: DeliveryOutcome): void {
    this.completed(ev, outcome);
    this.run(ac);
  }

  /** Handler failures are handled per delivery; anything reaching here is a container fault. */
  private internalError(err: unknown, ac: ActivityContext, ev: PendingEvent): DeliveryOutcome {
    this.host.logger.error({ err, activity: ac.id, event: ev.type.key }, 'event delivery failed inside the container');
    return { failed: true, delivered: 0 };
  }

  private completed(ev: PendingEvent, outcome: DeliveryOutcome): void {
    const stats = this.host.stats;
    stats.eventsDelivered++;
    stats.deliveredByType.set(ev.type.key, (stats.deliveredByType.get(ev.type.key) ?? 0) + 1);
    if (ev.done) {
      try {
        ev.done(outcome.failed, outcome.delivered, outcome.answeredBy);
      } catch (err) {
        this.host.logger.error({ err, event: ev.type.key }, 'event completion callback threw');
      }
    }
    if (--this.queued === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
