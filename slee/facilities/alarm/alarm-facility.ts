import type { AlarmLevel } from './alarm-level.js';
import type { AlarmRegistry } from './alarm-registry.js';

/** Raises and clears alarms on behalf of one notification source. */
export abstract class AlarmFacility {
  abstract raiseAlarm(type: string, instanceId: string, level: Exclude<AlarmLevel, 'CLEAR'>, message: string, cause?: unknown): string;
  abstract clearAlarm(type: string, instanceId: string): boolean;
  abstract clearAlarms(type?: string): number;
}

export class SourceAlarmFacility extends AlarmFacility {
  constructor(
    private readonly registry: AlarmRegistry,
    private readonly source: string,
  ) {
    super();
  }

  raiseAlarm(type: string, instanceId: string, level: Exclude<AlarmLevel, 'CLEAR'>, message: string, cause?: unknown): string {
    return this.registry.raise(this.source, type, instanceId, level, message, cause);
  }

  clearAlarm(type: string, instanceId: string): boolean {
    return this.registry.clear(this.source, type, instanceId);
  }

  clearAlarms(type?: string): number {
    return this.registry.clearAll(this.source, type);
  }
}
