import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type { Clock } from '../clock/clock.js';
import type { LoadSample } from './load-sample.js';

/** Samples the event loop's utilisation and delay every `intervalMs`, handing each sample on. */
export class LoadSampler {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private last: EventLoopUtilization = performance.eventLoopUtilization();
  private handle: unknown = null;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly backlog: () => number,
    private readonly onSample: (sample: LoadSample) => void,
  ) {}

  start(): void {
    if (this.handle !== null) return;
    this.delay.enable();
    this.last = performance.eventLoopUtilization();
    this.handle = this.clock.schedule(this.intervalMs, this.tick);
  }

  stop(): void {
    if (this.handle === null) return;
    this.clock.cancel(this.handle);
    this.handle = null;
    this.delay.disable();
  }

  private readonly tick = (): void => {
    const now = performance.eventLoopUtilization();
    const utilisation = performance.eventLoopUtilization(now, this.last).utilization;
    this.last = now;
    const delayMs = this.delay.count > 0 ? this.delay.percentile(99) / 1e6 : 0;
    this.delay.reset();
    this.onSample({ utilisation, delayMs, backlog: this.backlog() });
    this.handle = this.clock.schedule(this.intervalMs, this.tick);
  };
}
