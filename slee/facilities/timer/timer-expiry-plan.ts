import type { TimerRecord } from './timer-record.js';

export interface PlannedExpiry {
  scheduledTime: number;
  missedBefore: number;
  remainingAfter: number;
}

/**
 * Works out which due expiries of a timer to deliver at `now`. An expiry is
 * missed when `now` is past its due time plus the timeout. Expiries on time
 * are always delivered; missed ones per preserve-missed: ALL delivers each,
 * LAST only the latest, NONE none. Advances the record past what is due.
 */
export function planExpiries(record: TimerRecord, now: number): PlannedExpiry[] {
  const due: number[] = [];
  while (record.remaining !== 0 && record.nextTime <= now) {
    due.push(record.nextTime);
    if (record.remaining > 0) record.remaining--;
    if (record.period === null) {
      record.remaining = 0;
      break;
    }
    record.nextTime += record.period;
  }
  const remainingAfterAll = record.remaining;
  const plan: PlannedExpiry[] = [];
  let skipped = record.missed;
  const lastMissedIndex = due.findLastIndex((t) => now > t + record.timeout);
  due.forEach((t, i) => {
    const missed = now > t + record.timeout;
    const deliver = !missed || record.preserveMissed === 'ALL' || (record.preserveMissed === 'LAST' && i === lastMissedIndex);
    if (!deliver) {
      skipped++;
      return;
    }
    const remaining = remainingAfterAll < 0 ? -1 : remainingAfterAll + (due.length - 1 - i);
    plan.push({ scheduledTime: t, missedBefore: skipped, remainingAfter: remaining });
    skipped = 0;
  });
  record.missed = skipped;
  return plan;
}
