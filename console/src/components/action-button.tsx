import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { toast } from './toasts';

interface Props {
  run: () => Promise<unknown>;
  children: ComponentChildren;
  /** Asked with confirm() first, for destructive actions. */
  confirm?: string;
  /** Shown as a success toast once `run` resolves. */
  done?: string;
  kind?: 'primary' | 'danger' | 'plain';
  disabled?: boolean;
  title?: string;
}

/** A button that runs an API action, disables itself meanwhile and reports failures as toasts. */
export function ActionButton({ run, children, confirm, done, kind = 'plain', disabled, title }: Props) {
  const [busy, setBusy] = useState(false);
  const click = async () => {
    if (confirm && !window.confirm(confirm)) return;
    setBusy(true);
    try {
      await run();
      if (done) toast('success', done);
    } catch (err) {
      toast('error', (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" class={`btn btn-${kind}`} disabled={busy || disabled} onClick={() => void click()} title={title}>
      {children}
    </button>
  );
}
