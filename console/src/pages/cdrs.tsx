import { useState } from 'preact/hooks';
import { get } from '../lib/api';
import { useLoad } from '../lib/use-load';
import type { CdrRecord } from '../lib/types';
import { ActionButton } from '../components/action-button';
import { ErrorBox } from '../components/error-box';

interface CdrQuery {
  /** `datetime-local` values, in the browser's time zone; empty for no bound. */
  from: string;
  to: string;
  user: string;
  limit: number;
}

/** Call detail records by start time and user (`GET /cdrs`), and the same query as CSV (`GET /cdrs/export`). */
export function Cdrs() {
  const [form, setForm] = useState<CdrQuery>({ from: '', to: '', user: '', limit: 200 });
  // A new object on every Search, so that searching again with the same fields reloads too.
  const [applied, setApplied] = useState<CdrQuery>(form);
  const records = useLoad(() => get<CdrRecord[]>(`/cdrs?${queryString(applied)}`), [applied]);
  const field = (name: keyof CdrQuery) => (e: { currentTarget: HTMLInputElement }) =>
    setForm({ ...form, [name]: name === 'limit' ? Number(e.currentTarget.value) : e.currentTarget.value });
  const list = records.data ?? [];
  return (
    <section>
      <h2>
        Call detail records <span class="hint">{records.data ? `${list.length} shown, most recent first` : ''}</span>
      </h2>
      <div class="card" data-testid="cdr-query">
        <div class="inline-form">
          <label>
            Started from
            <input type="datetime-local" name="from" value={form.from} onInput={field('from')} />
          </label>
          <label>
            to (before)
            <input type="datetime-local" name="to" value={form.to} onInput={field('to')} />
          </label>
          <label>
            User (caller, callee or target containing)
            <input name="user" value={form.user} onInput={field('user')} placeholder="bob" />
          </label>
          <label>
            At most
            <input type="number" name="limit" min={1} max={100000} value={form.limit} onInput={field('limit')} />
          </label>
          <button type="button" class="btn btn-primary" onClick={() => setApplied({ ...form })}>
            Search
          </button>
          <ActionButton run={() => exportCsv(applied)} title="The records shown, as CSV (GET /cdrs/export)">
            Export CSV
          </ActionButton>
        </div>
      </div>
      <ErrorBox error={records.error} />
      {records.data && list.length === 0 ? (
        <p class="hint" data-testid="no-cdrs">
          No call records match.
        </p>
      ) : (
        <CdrTable records={list} />
      )}
    </section>
  );
}

function CdrTable({ records }: { records: CdrRecord[] }) {
  return (
    <div class="scroll">
      <table class="grid dense" data-testid="cdrs">
        <thead>
          <tr>
            <th>Call-ID</th>
            <th>Caller</th>
            <th>Callee</th>
            <th>Final target</th>
            <th>Service</th>
            <th>Started</th>
            <th>Answered</th>
            <th>Ended</th>
            <th>Duration</th>
            <th>Status</th>
            <th>End reason</th>
            <th>Node</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={`${r.callId}/${r.startedAt}`} data-call-id={r.callId}>
              <td>
                <code>{r.callId}</code>
              </td>
              <td>{r.caller}</td>
              <td>{r.callee}</td>
              <td>{r.target ?? ''}</td>
              <td>{r.service ?? ''}</td>
              <td class="when">{new Date(r.startedAt).toLocaleString()}</td>
              <td class="when">{r.answeredAt === null ? '' : time(r.answeredAt)}</td>
              <td class="when">{time(r.endedAt)}</td>
              <td>{(r.durationMs / 1000).toFixed(1)} s</td>
              <td>{r.status}</td>
              <td>{r.endReason}</td>
              <td title={`SIP entity ${r.entity}`}>{r.node}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Answer and end: the time of day; the start column carries the date. */
const time = (ms: number) => new Date(ms).toLocaleTimeString();

/** The REST query: local `datetime-local` values go as ISO-8601 instants, so the node needs no time zone. */
function queryString(q: CdrQuery): string {
  const params = new URLSearchParams({ limit: String(q.limit || 200) });
  if (q.from) params.set('from', new Date(q.from).toISOString());
  if (q.to) params.set('to', new Date(q.to).toISOString());
  if (q.user.trim()) params.set('user', q.user.trim());
  return params.toString();
}

/** Fetched with the token like every API call (a plain link could not send it), then handed to the browser as a download. */
async function exportCsv(q: CdrQuery): Promise<void> {
  const csv = await get<string>(`/cdrs/export?${queryString(q)}&format=csv`);
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `cdrs-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`;
  link.click();
  // The download has its own copy once started.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
