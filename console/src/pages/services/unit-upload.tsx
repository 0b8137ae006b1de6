import { useState } from 'preact/hooks';
import { api } from '../../lib/api';
import { toast } from '../../components/toasts';
import type { DeployableUnit } from '../../lib/types';

/** Picks a bundle (.tgz built by `sleet-sdk build`) and installs it: `POST /deployment/units`. */
export function UnitUpload({ onInstalled }: { onInstalled: () => Promise<void> }) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const install = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    try {
      const unit = await api<DeployableUnit>('POST', '/deployment/units', { raw: file, type: 'application/gzip' });
      toast('success', `Installed ${unit.id}`);
      (e.target as HTMLFormElement).reset();
      setFile(null);
      await onInstalled();
    } catch (err) {
      toast('error', `Install failed: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="inline-form" onSubmit={(e) => void install(e)}>
      <label>
        Bundle (.tgz)
        <input type="file" name="bundle" accept=".tgz,.tar.gz,application/gzip" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      </label>
      <button type="submit" class="btn btn-primary" disabled={!file || busy}>
        {busy ? 'Installing…' : 'Install'}
      </button>
    </form>
  );
}
