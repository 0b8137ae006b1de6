import type { AlarmLevel } from './alarm-level.js';

/** An active alarm, as the Alarm management interface lists it. */
export interface Alarm {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly instanceId: string;
  readonly level: AlarmLevel;
  readonly message: string;
  readonly cause?: string;
  readonly raisedAt: number;
}
