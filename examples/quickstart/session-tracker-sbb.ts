import { Cmp, InitialEvent, Sbb, Service, TimerFacility, Tracer, type ActivityContextInterface, type TimerEvent } from 'sleet';
import type { SessionEvent } from './session-events.js';

/**
 * One entity per user (convergence on the address): counts logins, and
 * logs the user out after a minute of silence. Handlers follow the
 * `on<EventName>` convention; state lives in CMP fields.
 */
@Service({ name: 'SessionTracker', priority: 10 })
@Sbb()
export class SessionTrackerSbb {
  @Cmp() logins = 0;
  @Cmp() idleTimer = '';

  constructor(
    private readonly timers: TimerFacility,
    private readonly tracer: Tracer,
  ) {}

  @InitialEvent({ select: ['Address'] })
  onLogin(event: SessionEvent, aci: ActivityContextInterface) {
    this.logins = this.logins + 1;
    if (this.idleTimer) this.timers.cancelTimer(this.idleTimer);
    this.idleTimer = this.timers.setTimer(aci, { delay: 60_000 });
    this.tracer.info(`${event.user} logged in (${this.logins} times)`);
  }

  onLogout(event: SessionEvent, aci: ActivityContextInterface) {
    this.tracer.info(`${event.user} logged out`);
    aci.detach();
  }

  onTimer(_event: TimerEvent, aci: ActivityContextInterface) {
    this.tracer.info('idle for a minute: session closed');
    aci.detach();
  }
}
