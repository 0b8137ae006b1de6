import type { Slee } from '../../slee/container/slee.js';
import type { TraceLevelName } from '../../slee/facilities/trace/trace-level.js';
import type { TraceLevelRecord } from './api/schemas.js';

/** JSLEE's TraceMBean: trace levels per notification source and tracer name. */
export class TraceManagement {
  constructor(
    private readonly slee: Slee,
    private readonly onChange: () => Promise<void> = async () => {},
  ) {}

  /** Every explicitly configured level. */
  list(): TraceLevelRecord[] {
    return this.slee.kernel.traces.listLevels();
  }

  /** The level in force for a tracer (inherited from its nearest configured ancestor, else the default). */
  get(source: string, tracer = ''): TraceLevelRecord {
    return { source, tracer, level: this.slee.kernel.traces.getLevel(source, tracer) };
  }

  async set(source: string, tracer: string, level: TraceLevelName): Promise<TraceLevelRecord> {
    this.slee.kernel.traces.setLevel(source, tracer, level);
    await this.onChange();
    return { source, tracer, level };
  }

  restore(levels: readonly TraceLevelRecord[]): void {
    for (const l of levels) this.slee.kernel.traces.setLevel(l.source, l.tracer, l.level);
  }
}
