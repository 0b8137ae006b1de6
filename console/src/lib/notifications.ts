import { useEffect, useRef } from 'preact/hooks';
import { token } from './session';
import { signalValue } from './signal-value';
import type { ManagementNotification } from './types';

type Listener = (n: ManagementNotification) => void;

const listeners = new Set<Listener>();
/** Whether the notification stream is open: the header shows it. */
export const streamConnected = signalValue(false);
let running: AbortController | null = null;

/**
 * Management notifications from `GET /notifications` (SSE). EventSource
 * cannot send the bearer token, so this reads the stream with fetch and
 * reconnects with a backoff while the session lasts.
 */
function start(): void {
  if (running || !token.get()) return;
  const controller = new AbortController();
  running = controller;
  void (async () => {
    let delay = 500;
    while (!controller.signal.aborted && token.get()) {
      try {
        const response = await fetch('/notifications', { headers: { authorization: `Bearer ${token.get()}` }, signal: controller.signal });
        if (!response.ok || !response.body) throw new TypeError(`notifications: HTTP ${response.status}`);
        streamConnected.set(true);
        delay = 500;
        await readEvents(response.body, (n) => listeners.forEach((l) => l(n)));
      } catch {
        // Reconnect below, unless the session ended.
      }
      streamConnected.set(false);
      if (controller.signal.aborted) break;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  })();
}

function stop(): void {
  running?.abort();
  running = null;
}

token.watch((value) => (value ? start() : stop()));

async function readEvents(body: ReadableStream<Uint8Array>, emit: Listener): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (data) emit(JSON.parse(data) as ManagementNotification);
    }
  }
}

/** Calls `listener` with every notification while the component is mounted. */
export function useNotifications(listener: Listener): void {
  const current = useRef(listener);
  current.current = listener;
  useEffect(() => {
    const forward: Listener = (n) => current.current(n);
    listeners.add(forward);
    start();
    return () => listeners.delete(forward);
  }, []);
}
