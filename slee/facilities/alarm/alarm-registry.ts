import { types } from 'node:util';
import { EventEmitter } from 'node:events';
import type { Alarm } from './alarm.js';
import type { AlarmLevel } from './alarm-level.js';

export interface AlarmNotification {
  readonly kind: 'raised' | 'cleared';
  readonly alarm: Alarm;
}

/**
 * The active alarms of the SLEE. An alarm is identified by its source, type
 * and instance: raising it again updates the one alarm rather than adding
 * another, as JSLEE's AlarmFacility does.
 */
export class AlarmRegistry extends EventEmitter<{ notification: [AlarmNotification] }> {
  private readonly active = new Map<string, Alarm>();
  private nextId = 1;

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  raise(source: string, type: string, instanceId: string, level: Exclude<AlarmLevel, 'CLEAR'>, message: string, cause?: unknown): string {
    const key = `${source}|${type}|${instanceId}`;
    const existing = this.active.get(key);
    const alarm: Alarm = {
      id: existing?.id ?? `alarm-${this.nextId++}`,
      source,
      type,
      instanceId,
      level,
      message,
      ...(cause === undefined ? {} : { cause: types.isNativeError(cause) ? (cause.stack ?? cause.message) : String(cause) }),
      raisedAt: this.now(),
    };
    this.active.set(key, alarm);
    this.emit('notification', { kind: 'raised', alarm });
    return alarm.id;
  }

  clear(source: string, type: string, instanceId: string): boolean {
    const key = `${source}|${type}|${instanceId}`;
    const alarm = this.active.get(key);
    if (!alarm) return false;
    this.active.delete(key);
    this.emit('notification', { kind: 'cleared', alarm: { ...alarm, level: 'CLEAR' } });
    return true;
  }

  clearById(id: string): boolean {
    for (const alarm of this.active.values()) if (alarm.id === id) return this.clear(alarm.source, alarm.type, alarm.instanceId);
    return false;
  }

  /** Clears every alarm of a source (optionally of one type); returns how many. */
  clearAll(source?: string, type?: string): number {
    let count = 0;
    for (const alarm of [...this.active.values()]) {
      if ((source === undefined || alarm.source === source) && (type === undefined || alarm.type === type)) {
        this.clear(alarm.source, alarm.type, alarm.instanceId);
        count++;
      }
    }
    return count;
  }

  list(source?: string): Alarm[] {
    return [...this.active.values()].filter((a) => source === undefined || a.source === source);
  }
}
