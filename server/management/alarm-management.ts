import type { Slee } from '../../slee/container/slee.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { AlarmRecord } from './api/schemas.js';

/** JSLEE's AlarmMBean: the active alarms, and clearing them by id or by source and type. */
export class AlarmManagement {
  constructor(private readonly slee: Slee) {}

  list(source?: string): AlarmRecord[] {
    return this.slee.kernel.alarms.list(source).map((a) => ({ ...a }));
  }

  clear(id: string): void {
    if (!this.slee.kernel.alarms.clearById(id)) throw new SleetError(ErrorCode.UNKNOWN_ALARM, `no active alarm '${id}'`);
  }

  /** Clears the alarms of a source, optionally of one type; with neither, every alarm. Returns how many. */
  clearMatching(filter: { source?: string; type?: string }): number {
    return this.slee.kernel.alarms.clearAll(filter.source, filter.type);
  }
}
