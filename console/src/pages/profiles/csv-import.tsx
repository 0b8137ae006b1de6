import { useState } from 'preact/hooks';
import { api, ApiError, seg } from '../../lib/api';
import { useNotifications } from '../../lib/notifications';
import type { ProfileTableRecord } from '../../lib/types';
import { toast } from '../../components/toasts';

interface RejectedRow {
  line: number;
  profileName?: string;
  attribute?: string;
  reason: string;
}

/**
 * Imports a CSV file (header `profileName,<attributes>`), all or nothing.
 * Progress comes from `profile-import` notifications; a refusal lists the rejected rows.
 */
export function CsvImport({ table, onImported }: { table: ProfileTableRecord; onImported: () => Promise<void> }) {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [rejected, setRejected] = useState<RejectedRow[] | null>(null);
  const [busy, setBusy] = useState(false);
  useNotifications((n) => {
    if (n.type === 'profile-import' && n.table === table.name && busy) setProgress({ done: n.done, total: n.total });
  });
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setProgress(null);
    setRejected(null);
    try {
      const result = await api<{ imported: number }>('POST', `/profiles/tables/${seg(table.name)}/import?format=csv`, {
        raw: await file.text(),
        type: 'text/csv',
      });
      setProgress({ done: result.imported, total: result.imported });
      toast('success', `Imported ${result.imported} profiles into ${table.name}`);
      await onImported();
    } catch (err) {
      // Validation lists every bad row (details.rejected); a clash with stored profiles names the first.
      if (err instanceof ApiError && err.code === 'SLEET_ERR_PROFILE_IMPORT' && err.details) {
        const details = err.details as RejectedRow & { rejected?: RejectedRow[] };
        setRejected(details.rejected ?? [details]);
      }
      toast('error', `Import refused: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={(e) => void submit(e)} data-testid="csv-import">
      <h3>Import CSV</h3>
      <p class="hint">
        Header <code>profileName,{table.attributes.map((a) => a.name).join(',')}</code>. All rows or none: one bad row leaves the table unchanged.
      </p>
      <div class="inline-form">
        <input type="file" name="csv" accept=".csv,text/csv" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        <button type="submit" class="btn btn-primary" disabled={!file || busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
        {progress ? (
          <span class="import-progress" data-testid="import-progress">
            <progress max={Math.max(progress.total, 1)} value={progress.done} /> {progress.done} / {progress.total}
          </span>
        ) : null}
      </div>
      {rejected ? (
        <table class="grid rejected" data-testid="rejected-rows">
          <thead>
            <tr>
              <th>Rejected line</th>
              <th>Profile</th>
              <th>Attribute</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {rejected.map((r) => (
              <tr key={r.line} data-line={r.line}>
                <td>{r.line}</td>
                <td>{r.profileName ?? ''}</td>
                <td>{r.attribute ?? ''}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </form>
  );
}
