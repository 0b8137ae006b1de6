/**
 * Preloaded into the node under test (`node --import`): answers the
 * benchmark's IPC requests with `process.memoryUsage()`, after a full GC when
 * asked (the node runs with --expose-gc). Read-only and outside the node's own
 * code, so the node measured is the one users run.
 */
interface MemoryRequest {
  id: number;
  gc?: boolean;
}

if (process.send) {
  process.on('message', (message: MemoryRequest) => {
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
