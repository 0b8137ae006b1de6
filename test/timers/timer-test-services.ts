import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import { defineEventType } from '../../slee/component-model/event-type.js';
import { TimerFacility } from '../../slee/facilities/timer/timer-facility.js';
import type { TimerEvent } from '../../slee/facilities/timer/timer-event.js';
import type { TimerOptions } from '../../slee/facilities/timer/timer-options.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';

export const SetTimerEvent = defineEventType<TimerOptions>('test.timers.SetTimer', { short: 'SetTimer' });
export const CancelTimerEvent = defineEventType<Record<string, never>>('test.timers.CancelTimer', { short: 'CancelTimer' });

export interface Receipt {
  event: TimerEvent;
  activityContextId: string;
  by: string;
}

/** Every timer event a test service received, with the activity it arrived on. */
export const received: Receipt[] = [];
/** Told of each receipt as it happens (the cluster test's child processes print them). */
export const receiptListeners: Array<(receipt: Receipt) => void> = [];

function receive(receipt: Receipt): void {
  received.push(receipt);
  for (const listener of receiptListeners) listener(receipt);
}
/** Ids of timers the setters set, in order. */
export const setTimers: string[] = [];

/** Sets a timer on its activity, receives its expiries there, and cancels it on request. */
@Service({ name: 'AlarmClock' })
@Sbb({ name: 'AlarmClockSbb' })
export class AlarmClockSbb {
  @Cmp() timerId = '';

  constructor(private readonly timers: TimerFacility) {}

  @InitialEvent()
  onSetTimer(options: TimerOptions, aci: ActivityContextInterface) {
    this.timerId = this.timers.setTimer(aci, options);
    setTimers.push(this.timerId);
  }

  onTimer(event: TimerEvent, aci: ActivityContextInterface) {
    receive({ event, activityContextId: aci.id, by: 'alarm-clock' });
  }

  onCancelTimer() {
    this.timers.cancelTimer(this.timerId);
  }
}

/** Books wake-up calls: sets the timer but leaves the call itself to the WakeUpCall service. */
@Service({ name: 'WakeUpBooking' })
@Sbb({ name: 'WakeUpBookingSbb' })
export class WakeUpBookingSbb {
  @Cmp() timerId = '';

  constructor(private readonly timers: TimerFacility) {}

  @InitialEvent()
  onSetTimer(options: TimerOptions, aci: ActivityContextInterface) {
    this.timerId = this.timers.setTimer(aci, options);
    setTimers.push(this.timerId);
  }

  onCancelTimer() {
    this.timers.cancelTimer(this.timerId);
  }
}

/** Places the wake-up call: a timer event is initial for it, one root per subscriber address. */
@Service({ name: 'WakeUpCall' })
@Sbb({ name: 'WakeUpCallSbb' })
export class WakeUpCallSbb {
  @InitialEvent({ select: ['Address'] })
  onTimer(event: TimerEvent, aci: ActivityContextInterface) {
    receive({ event, activityContextId: aci.id, by: 'wake-up-call' });
  }
}
