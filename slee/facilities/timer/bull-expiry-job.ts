import type { TimerRecord } from './timer-record.js';

/** The data of one expiry's bull job: the record itself lives in the records hash. */
export interface BullExpiryJob {
  timerId: string;
  /** The due time this job wakes the timer for. */
  time: number;
}

/** One job id per expiry, so each expiry is unique cluster-wide and processed once. */
export function bullExpiryJobId(record: Pick<TimerRecord, 'id' | 'nextTime'>): string {
  return `${record.id}:${record.nextTime}`;
}
