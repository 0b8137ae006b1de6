import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import { defineEventType } from '../../slee/component-model/event-type.js';
import { TimerFacility } from '../../slee/facilities/timer/timer-facility.js';
import type { TimerEvent } from '../../slee/facilities/timer/timer-event.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';

export interface Reminder {
  note: string;
  delay: number;
  setBy: number;
}

export const ReminderEvent = defineEventType<Reminder>('test.cluster.Reminder', { short: 'Reminder' });

/** What a reminder's timer found when it fired: its activity, and the CMP state its entity was given. */
export interface Fired {
  activityContextId: string;
  timerId: string;
  note: string;
  setBy: number;
  count: number;
}

export const reminders: Array<(fired: Fired) => void> = [];

/** Keeps a note in CMP and sets a timer on its activity; the timer event reports the CMP state it finds. */
@Service({ name: 'Reminder' })
@Sbb({ name: 'ReminderSbb' })
export class ReminderSbb {
  @Cmp() note = '';
  @Cmp() setBy = 0;
  @Cmp() count = 0;

  constructor(private readonly timers: TimerFacility) {}

  @InitialEvent({ select: ['ActivityContext'] })
  onReminder(reminder: Reminder, aci: ActivityContextInterface) {
    this.note = reminder.note;
    this.setBy = reminder.setBy;
    this.count = 1;
    this.timers.setTimer(aci, { delay: reminder.delay, preserveMissed: 'ALL' });
  }

  onTimer(event: TimerEvent, aci: ActivityContextInterface) {
    this.count = this.count + 1;
    for (const listener of reminders) listener({ activityContextId: aci.id, timerId: event.timerId, note: this.note, setBy: this.setBy, count: this.count });
  }
}
