import { signalValue, useValue } from '../lib/signal-value';

export type ToastKind = 'info' | 'success' | 'warning' | 'error';
interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

const toasts = signalValue<Toast[]>([]);
let nextId = 1;

/** Shows a message in the corner for a few seconds (errors stay longer). */
export function toast(kind: ToastKind, text: string): void {
  const id = nextId++;
  toasts.set([...toasts.get(), { id, kind, text }].slice(-5));
  setTimeout(() => toasts.set(toasts.get().filter((t) => t.id !== id)), kind === 'error' ? 10_000 : 6_000);
}

export function Toasts() {
  const list = useValue(toasts);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} class={`toast toast-${t.kind}`} onClick={() => toasts.set(toasts.get().filter((x) => x.id !== t.id))}>
          {t.text}
        </div>
      ))}
    </div>
  );
}
