import { useState } from 'preact/hooks';
import { get, put } from '../lib/api';
import { useLoad } from '../lib/use-load';
import type { RaEntityInfo, TraceLevel, TraceLevelRecord, UsageSetRef } from '../lib/types';
import { ActionButton } from '../components/action-button';
import { ErrorBox } from '../components/error-box';
import { StateBadge } from '../components/state-badge';
import { MessageTrace } from './traces/message-trace';

const LEVELS: TraceLevel[] = ['OFF', 'SEVERE', 'WARNING', 'INFO', 'CONFIG', 'FINE', 'FINER', 'FINEST'];

/** JSLEE trace levels per notification source and tracer, and the SIP message trace. */
export function Traces() {
  const levels = useLoad(() => get<TraceLevelRecord[]>('/traces'), []);
  // Known sources to pick from: RA entities and the sources of usage sets (SBBs with usage parameters).
  const sources = useLoad(async () => {
    const [entities, usage] = await Promise.all([get<RaEntityInfo[]>('/ra/entities'), get<UsageSetRef[]>('/usage/sets')]);
    return [...new Set([...entities.map((e) => `ra:${e.name}`), ...usage.map((u) => u.source)])].sort();
  }, []);
  const [source, setSource] = useState('ra:sip');
  const [tracer, setTracer] = useState('');
  const [level, setLevel] = useState<TraceLevel>('FINE');
  return (
    <section>
      <h2>Trace levels</h2>
      <ErrorBox error={levels.error} />
      <div class="card">
        <div class="inline-form">
          <label>
            Source
            <input name="source" list="trace-sources" value={source} onInput={(e) => setSource(e.currentTarget.value)} />
            <datalist id="trace-sources">
              {(sources.data ?? []).map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          </label>
          <label>
            Tracer (empty: the root)
            <input name="tracer" value={tracer} onInput={(e) => setTracer(e.currentTarget.value)} />
          </label>
          <label>
            Level
            <select name="level" value={level} onChange={(e) => setLevel(e.currentTarget.value as TraceLevel)}>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <ActionButton
            kind="primary"
            disabled={!source.trim()}
            run={() => put('/traces/level', { source: source.trim(), tracer: tracer.trim(), level }).then(levels.reload)}
            done={`${source} ${tracer || '(root)'} set to ${level}`}
          >
            Set level
          </ActionButton>
        </div>
      </div>
      <table class="grid" data-testid="trace-levels">
        <thead>
          <tr>
            <th>Source</th>
            <th>Tracer</th>
            <th>Level</th>
          </tr>
        </thead>
        <tbody>
          {(levels.data ?? []).map((l) => (
            <tr key={`${l.source}/${l.tracer}`}>
              <td>{l.source}</td>
              <td>{l.tracer || '(root)'}</td>
              <td>
                <StateBadge state={l.level} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <MessageTrace />
    </section>
  );
}
