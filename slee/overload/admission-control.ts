import type { AlarmRegistry } from '../facilities/alarm/alarm-registry.js';
import type { Admission } from './admission.js';
import type { LoadSample } from './load-sample.js';
import type { OverloadSettings } from './overload-settings.js';

const ALARM_SOURCE = 'subsystem:overload';
const ALARM_TYPE = 'sleet.overload';
/** Each overloaded sample moves the refused share this far towards all; each calm one halves it. */
const INCREASE = 0.25;
/** Below this share, a calm sample ends shedding. */
const NEGLIGIBLE = 0.02;
/** Share of the input-wait limit that, with the event loop saturated, shows its input waiting: the node is falling behind, not only busy. */
const FALLING_BEHIND = 0.25;
/** Some new work is always let through, so the node keeps measuring what it can carry. */
const MAX_REJECT = 0.98;

/**
 * Loss-based admission control (RFC 7339's "loss" algorithm, and Rhino's
 * rate limiting in spirit): while samples show the node saturated, the
 * share of new work refused rises quickly; while they show it calm, the
 * share halves each sample, so full service returns within a second of the
 * overload ending. Shedding starts only after `sustain` overloaded samples
 * in a row, each with at least `minRequestsPerSample` new requests: one
 * long task (a garbage collection, a bundle load) is a pause, and a node
 * busy with other work while few requests arrive is not overloaded by
 * them. A saturated event loop whose input hardly waits (under a quarter
 * of the input-wait limit, and no loop delay or backlog past its limit)
 * starts it only after `saturationSustain` samples: that node keeps up,
 * and refusing work it can serve would lower its ceiling. Admission is
 * spread evenly, not random, so a share of 0.6 admits exactly two
 * requests in five. In-progress work (in-dialog requests, ACK, CANCEL,
 * BYE) never asks. A backlog past the router's
 * bound refuses everything new at once, between samples. While shedding,
 * input that waited past its limit to be read refuses everything new too,
 * until a shorter wait is noted: that queue is where an overloaded node's
 * latency grows, and only refusing new work drains it. Outside an overload
 * a late datagram (a garbage collection, a burst) refuses nothing.
 */
export class AdmissionControl implements Admission {
  readonly stats = { admitted: 0, rejected: 0 };
  private fraction = 0;
  private credit = 0;
  private overloadedSamples = 0;
  /** Overloaded samples in a row that showed work waiting (loop delay, input wait, backlog), not saturation alone. */
  private queueingSamples = 0;
  /** admit() calls since the last sample. */
  private asked = 0;
  /** The last input wait adaptors noted, and the longest since the last sample. */
  private inputDelayMs = 0;
  private sampleInputDelayMs = 0;
  private readonly sampleListeners = new Set<() => void>();

  constructor(
    private readonly settings: OverloadSettings,
    private readonly alarms: AlarmRegistry,
    private readonly backlog: () => number,
  ) {}

  get rejectFraction(): number {
    return this.fraction;
  }

  get retryAfterSeconds(): number {
    return this.settings.retryAfterSeconds;
  }

  admit(): boolean {
    this.asked++;
    if (this.backlog() >= this.settings.maxBacklog) return this.refuse();
    if (this.fraction > 0 && this.inputDelayMs > this.settings.maxInputDelayMs) return this.refuse();
    if (this.fraction === 0) {
      this.stats.admitted++;
      return true;
    }
    this.credit += 1 - this.fraction;
    if (this.credit < 1) return this.refuse();
    this.credit -= 1;
    this.stats.admitted++;
    return true;
  }

  noteInputDelay(ms: number): void {
    this.inputDelayMs = ms;
    if (ms > this.sampleInputDelayMs) this.sampleInputDelayMs = ms;
  }

  onSample(listener: () => void): () => void {
    // A registration of its own, so that stopping one never stops another of the same function.
    const own = (): void => listener();
    this.sampleListeners.add(own);
    return () => this.sampleListeners.delete(own);
  }

  update(sample: LoadSample): void {
    for (const listener of this.sampleListeners) {
      try {
        listener();
      } catch {
        // A measurement that failed (a probe socket gone) notes nothing; the sample and the others' measurements still count.
      }
    }
    const overload = this.asked >= this.settings.minRequestsPerSample ? this.overload(sample, this.sampleInputDelayMs) : null;
    const reason = overload?.reason ?? null;
    this.asked = 0;
    this.sampleInputDelayMs = 0;
    const before = this.fraction;
    this.overloadedSamples = overload === null ? 0 : this.overloadedSamples + 1;
    this.queueingSamples = overload?.queueing === true ? this.queueingSamples + 1 : 0;
    const { sustain, saturationSustain } = this.settings;
    const sustained =
      this.queueingSamples >= sustain || this.overloadedSamples >= saturationSustain || (this.fraction > 0 && this.overloadedSamples >= sustain);
    if (reason !== null && sustained) {
      this.fraction = Math.min(MAX_REJECT, this.fraction + (1 - this.fraction) * INCREASE);
    } else if (reason === null) {
      this.fraction = this.fraction < NEGLIGIBLE ? 0 : this.fraction / 2;
    }
    if (before === 0 && this.fraction > 0) {
      this.alarms.raise(ALARM_SOURCE, ALARM_TYPE, 'node', 'MAJOR', `overloaded (${reason}): refusing a share of new requests with 503 until load falls`);
    } else if (before > 0 && this.fraction === 0) {
      this.credit = 0;
      this.alarms.clear(ALARM_SOURCE, ALARM_TYPE, 'node');
    }
  }

  /** Why a sample is overloaded, if it is, and whether it shows work waiting rather than a saturated loop alone. */
  private overload(sample: LoadSample, inputDelayMs: number): { reason: string; queueing: boolean } | null {
    const { maxUtilisation, maxDelayMs, maxInputDelayMs, maxBacklog } = this.settings;
    if (sample.delayMs > maxDelayMs) return { reason: `event-loop delay ${sample.delayMs.toFixed(0)} ms, limit ${maxDelayMs} ms`, queueing: true };
    if (inputDelayMs > maxInputDelayMs) return { reason: `input waited ${inputDelayMs.toFixed(0)} ms to be read, limit ${maxInputDelayMs} ms`, queueing: true };
    if (sample.backlog > maxBacklog / 2) return { reason: `${sample.backlog} events queued, bound ${maxBacklog}`, queueing: true };
    if (sample.utilisation > maxUtilisation) {
      const reason = `event loop ${Math.round(sample.utilisation * 100)}% busy, limit ${Math.round(maxUtilisation * 100)}%`;
      return { reason, queueing: inputDelayMs > maxInputDelayMs * FALLING_BEHIND };
    }
    return null;
  }

  private refuse(): false {
    this.stats.rejected++;
    return false;
  }
}
