import type { Slee } from '../../slee/container/slee.js';
import type { UsageParameterSet } from '../../slee/facilities/usage/usage-parameter-set.js';
import type { UsageUpdate } from '../../slee/facilities/usage/usage-registry.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { UsageSnapshotRecord, UsageThresholdRecord } from './api/schemas.js';
import type { NotificationHub } from './notifications/notification-hub.js';

interface Threshold extends UsageThresholdRecord {
  above: boolean;
}

/**
 * JSLEE's UsageMBean: usage parameter sets per notification source, read
 * and reset, plus thresholds on counters that notify when a counter
 * crosses them (rising, and falling again after a reset).
 */
export class UsageManagement {
  private readonly thresholds = new Map<string, Threshold>();
  private nextThreshold = 1;
  private listening = false;
  private readonly onUpdate = (u: UsageUpdate) => {
    for (const t of this.thresholds.values()) {
      if (t.source === u.source && t.set === u.set && t.counter === u.parameter) this.check(t, u.value);
    }
  };

  constructor(
    private readonly slee: Slee,
    private readonly hub: NotificationHub,
  ) {}

  listSets(): Array<{ source: string; set: string }> {
    return this.slee.kernel.usage.list().map(({ source, set }) => ({ source, set }));
  }

  get(source: string, set = ''): UsageSnapshotRecord {
    return { source, set, ...this.find(source, set).snapshot() };
  }

  reset(source: string, set = ''): UsageSnapshotRecord {
    const parameters = this.find(source, set);
    parameters.reset();
    for (const t of this.thresholds.values()) if (t.source === source && t.set === set) this.check(t, parameters.counter(t.counter));
    return this.get(source, set);
  }

  listThresholds(): UsageThresholdRecord[] {
    return [...this.thresholds.values()].map(record);
  }

  /** Notifies (`usage-threshold`) when the counter reaches `threshold`, and again when it falls back below it. */
  setThreshold(source: string, set: string, counter: string, threshold: number): UsageThresholdRecord {
    const parameters = this.find(source, set);
    if (!(counter in parameters.snapshot().counters)) {
      throw new SleetError(ErrorCode.UNKNOWN_USAGE_PARAMETER, `usage set '${set}' of ${source} has no counter '${counter}'`);
    }
    const t: Threshold = { id: `threshold-${this.nextThreshold++}`, source, set, counter, threshold, above: parameters.counter(counter) >= threshold };
    this.thresholds.set(t.id, t);
    if (!this.listening) {
      this.slee.kernel.usage.on('update', this.onUpdate);
      this.listening = true;
    }
    return record(t);
  }

  removeThreshold(id: string): void {
    if (!this.thresholds.delete(id)) throw new SleetError(ErrorCode.UNKNOWN_USAGE_PARAMETER, `no usage threshold '${id}'`);
    // The registry only computes update events while someone listens.
    if (this.thresholds.size === 0 && this.listening) {
      this.slee.kernel.usage.off('update', this.onUpdate);
      this.listening = false;
    }
  }

  private check(t: Threshold, value: number): void {
    const above = value >= t.threshold;
    if (above === t.above) return;
    t.above = above;
    this.hub.publish({
      type: 'usage-threshold',
      threshold: t.id,
      source: t.source,
      set: t.set,
      counter: t.counter,
      limit: t.threshold,
      value,
      direction: above ? 'rising' : 'falling',
    });
  }

  private find(source: string, set: string): UsageParameterSet {
    const parameters = this.slee.kernel.usage.find(source, set);
    if (!parameters) throw new SleetError(ErrorCode.UNKNOWN_USAGE_PARAMETER, `no usage parameter set '${set}' for ${source}`);
    return parameters;
  }
}

function record(t: Threshold): UsageThresholdRecord {
  return { id: t.id, source: t.source, set: t.set, counter: t.counter, threshold: t.threshold };
}
