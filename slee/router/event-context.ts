import type { Clock, TimerHandle } from '../../base/clock/clock.js';
import type { EventType } from '../component-model/event-type.js';

/**
 * Delivery control for one event (JSLEE EventContext). Suspending holds the
 * event, and every later event of its activity, until `resumeDelivery()` or
 * the timeout: call forwarding pauses an INVITE while it decides.
 */
export class EventContext {
  private suspendedUntil: Promise<void> | null = null;
  private resumeFn: (() => void) | null = null;
  private timer: TimerHandle | null = null;

  constructor(
    readonly eventType: EventType,
    readonly event: unknown,
    readonly address: string | null,
    private readonly defaultTimeoutMs: number,
    /** The SLEE's clock, which times the suspension as it times every other SLEE timer. */
    private readonly clock: Clock,
  ) {}

  get isSuspended(): boolean {
    return this.suspendedUntil !== null;
  }

  suspendDelivery(timeoutMs = this.defaultTimeoutMs): void {
    if (this.suspendedUntil) return;
    this.suspendedUntil = new Promise<void>((resolve) => {
      this.resumeFn = resolve;
    });
    this.timer = this.clock.schedule(timeoutMs, () => this.resumeDelivery());
  }

  resumeDelivery(): void {
    if (!this.resumeFn) return;
    if (this.timer) this.clock.cancel(this.timer);
    const resume = this.resumeFn;
    this.resumeFn = null;
    this.timer = null;
    this.suspendedUntil = null;
    resume();
  }

  /** @internal The router awaits this between SBB deliveries. */
  get suspension(): Promise<void> | null {
    return this.suspendedUntil;
  }
}
