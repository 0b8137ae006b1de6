import type { Clock } from '../../../base/clock/clock.js';

export interface MalformedInputLogOptions {
  clock: Clock;
  /** Receives each line; a line never carries a stack trace. */
  write: (line: string) => void;
  /** Lines written per window before the rest are only counted (default 10). */
  burst?: number;
  /** Window length in ms (default 60 s). */
  windowMs?: number;
}

/**
 * One line per malformed message, at most `burst` per window: a flood of bad
 * input costs a counter increment, not a log line (or a stack trace) each.
 * What a window suppressed is summed up by the first line of a later one;
 * no timer is kept for it.
 */
export class MalformedInputLog {
  /** Malformed inputs noted since the start. */
  total = 0;
  /** Of those, how many were counted without a line. */
  suppressed = 0;
  private readonly clock: Clock;
  private readonly write: (line: string) => void;
  private readonly burst: number;
  private readonly windowMs: number;
  private windowStart = Number.NEGATIVE_INFINITY;
  private writtenInWindow = 0;
  private suppressedInWindow = 0;

  constructor(options: MalformedInputLogOptions) {
    this.clock = options.clock;
    this.write = options.write;
    this.burst = options.burst ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
  }

  note(reason: string, peer: string): void {
    this.total++;
    const now = this.clock.now();
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressedInWindow > 0) {
        this.emit(`malformed SIP input: ${this.suppressedInWindow} more not logged in the previous ${this.windowMs / 1000} s`);
      }
      this.windowStart = now;
      this.writtenInWindow = 0;
      this.suppressedInWindow = 0;
    }
    if (this.writtenInWindow >= this.burst) {
      this.suppressed++;
      this.suppressedInWindow++;
      return;
    }
    this.writtenInWindow++;
    this.emit(`malformed SIP input from ${peer}: ${reason.length > 160 ? `${reason.slice(0, 160)}...` : reason}`);
  }

  private emit(line: string): void {
    try {
      this.write(line);
    } catch {
      // A failing log sink must not turn bad input into an error path.
    }
  }
}
