import { Session } from 'node:inspector';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startHeapSampling, stopHeapSampling } from './heap-sampling.js';

/**
 * Preloaded into the node under test (`node --import`): answers the
 * benchmark's IPC requests with `process.memoryUsage()` (after a full GC when
 * asked; the node runs with --expose-gc), with the event loop's delay
 * since the last reset, with what it allocated between a start and a
 * stop of heap sampling, with its `performance.now()`, with how long
 * each of a few full collections took, or with the URLs of the scripts it
 * has loaded. Read-only and outside the node's own code, so the
 * node measured is the one users run.
 */
type ProbeRequest =
  | { id: number; memory: true; gc?: boolean }
  | { id: number; loopDelay: 'reset' | 'read' }
  | { id: number; heapSampling: 'start' | 'stop'; top?: number }
  | { id: number; now: true }
  | { id: number; fullGc: number }
  | { id: number; scripts: true };

export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

if (process.send) {
  // How late timers and I/O callbacks ran: what a datagram waiting in the socket buffer waits for too.
  // Enabled at the first request for it: its 1 ms timer wakes the node 1,000 times a second
  // (about 28 ms of CPU a second here), which a benchmark not reading it must not charge to Sleet.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  process.on('message', (message: ProbeRequest) => {
    if ('heapSampling' in message) {
      const done = message.heapSampling === 'start' ? startHeapSampling().then(() => null) : stopHeapSampling(message.top ?? 20);
      void done.then((reading) => process.send!({ id: message.id, heapSampling: reading }));
      return;
    }
    if ('fullGc' in message) {
      const took: number[] = [];
      for (let i = 0; i < message.fullGc; i++) {
        const start = performance.now();
        globalThis.gc?.();
        took.push(performance.now() - start);
      }
      process.send!({ id: message.id, fullGc: took });
      return;
    }
    if ('scripts' in message) {
      process.send!({ id: message.id, scripts: loadedScripts() });
      return;
    }
    if ('now' in message) {
      process.send!({ id: message.id, now: performance.now() });
      return;
    }
    if ('loopDelay' in message) {
      delay.enable();
      if (message.loopDelay === 'reset') delay.reset();
      const reading: LoopDelay = { p50Ms: ms(delay.percentile(50)), p99Ms: ms(delay.percentile(99)), maxMs: ms(delay.max) };
      process.send!({ id: message.id, loopDelay: reading });
      return;
    }
    if (message.gc && globalThis.gc) {
      // Two passes: the first may only queue finalizers and weak-reference cleanups.
      globalThis.gc();
      globalThis.gc();
    }
    process.send!({ id: message.id, memory: process.memoryUsage() });
  });
  // The channel must not keep a stopping node alive.
  process.channel?.unref();
}

/** Every script V8 holds, by URL: enabling the debugger reports each one already parsed, before its reply. */
function loadedScripts(): string[] {
  const session = new Session();
  session.connect();
  const urls = new Set<string>();
  session.on('Debugger.scriptParsed', (event) => urls.add(event.params.url));
  session.post('Debugger.enable');
  session.post('Debugger.disable');
  session.disconnect();
  return [...urls];
}
