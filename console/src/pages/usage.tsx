import { useState } from 'preact/hooks';
import type { PageProps } from './page-props';
import { del, get, post, seg } from '../lib/api';
import { href } from '../lib/route';
import { useLoad } from '../lib/use-load';
import type { UsageSetRef, UsageSnapshotRecord, UsageThresholdRecord } from '../lib/types';
import { ActionButton } from '../components/action-button';
import { ErrorBox } from '../components/error-box';

const keyOf = (s: UsageSetRef) => (s.set ? `${s.source}#${s.set}` : s.source);

/** Usage parameter sets by notification source (#/usage/<source#set>): counters and samples, live; thresholds. */
export function Usage({ path }: PageProps) {
  const sets = useLoad(() => get<UsageSetRef[]>('/usage/sets'), []);
  const chosen = sets.data?.find((s) => keyOf(s) === path[0]);
  return (
    <section class="split">
      <aside class="side">
        <h2>Usage sets</h2>
        <ErrorBox error={sets.error} />
        <ul class="side-list" data-testid="usage-sets">
          {(sets.data ?? []).map((s) => (
            <li key={keyOf(s)} class={s === chosen ? 'active' : ''}>
              <a href={href('usage', keyOf(s))} data-usage={keyOf(s)}>
                {s.source}
              </a>
              {s.set ? <span class="hint">set {s.set}</span> : null}
            </li>
          ))}
        </ul>
      </aside>
      <div class="main-pane">{chosen ? <UsageSet key={keyOf(chosen)} set={chosen} /> : <p class="hint">Choose a usage set.</p>}</div>
    </section>
  );
}

function UsageSet({ set }: { set: UsageSetRef }) {
  const query = `source=${encodeURIComponent(set.source)}&set=${encodeURIComponent(set.set)}`;
  const values = useLoad(() => get<UsageSnapshotRecord>(`/usage/sets/values?${query}`), [], 2000);
  const thresholds = useLoad(() => get<UsageThresholdRecord[]>('/usage/thresholds'), []);
  const mine = (thresholds.data ?? []).filter((t) => t.source === set.source && t.set === set.set);
  const snapshot = values.data;
  return (
    <div>
      <div class="title-row">
        <h2>{set.source}</h2>
        <ActionButton confirm="Reset every counter and sample of this set?" run={() => post('/usage/sets/reset', set).then(values.reload)}>
          Reset
        </ActionButton>
      </div>
      <ErrorBox error={values.error} />
      {snapshot ? (
        <>
          <table class="grid" data-testid="usage-counters">
            <thead>
              <tr>
                <th>Counter</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(snapshot.counters).map(([name, value]) => (
                <tr key={name} data-counter={name}>
                  <td>{name}</td>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {Object.keys(snapshot.samples).length > 0 ? (
            <table class="grid" data-testid="usage-samples" style={{ marginTop: '12px' }}>
              <thead>
                <tr>
                  <th>Sample</th>
                  <th>Count</th>
                  <th>Min</th>
                  <th>Mean</th>
                  <th>Max</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(snapshot.samples).map(([name, s]) => (
                  <tr key={name}>
                    <td>{name}</td>
                    <td>{s.count}</td>
                    <td>{s.count ? s.min : '–'}</td>
                    <td>{s.count ? s.mean.toFixed(2) : '–'}</td>
                    <td>{s.count ? s.max : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <Thresholds set={set} counters={Object.keys(snapshot.counters)} thresholds={mine} onChange={thresholds.reload} />
        </>
      ) : null}
    </div>
  );
}

function Thresholds({
  set,
  counters,
  thresholds,
  onChange,
}: {
  set: UsageSetRef;
  counters: string[];
  thresholds: UsageThresholdRecord[];
  onChange: () => Promise<void>;
}) {
  const [counter, setCounter] = useState(counters[0] ?? '');
  const [threshold, setThreshold] = useState('');
  return (
    <div class="card">
      <h3>Thresholds</h3>
      <p class="hint">A notification (and a toast) when a counter reaches the threshold, and when a reset brings it back below.</p>
      {thresholds.map((t) => (
        <div key={t.id} class="inline-form">
          <span>
            {t.counter} ≥ {t.threshold}
          </span>
          <ActionButton kind="danger" run={() => del(`/usage/thresholds/${seg(t.id)}`).then(onChange)}>
            Remove
          </ActionButton>
        </div>
      ))}
      <div class="inline-form">
        <label>
          Counter
          <select name="counter" value={counter} onChange={(e) => setCounter(e.currentTarget.value)}>
            {counters.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Threshold
          <input name="threshold" inputMode="numeric" value={threshold} onInput={(e) => setThreshold(e.currentTarget.value)} />
        </label>
        <ActionButton
          disabled={!counter || threshold.trim() === ''}
          run={() => post('/usage/thresholds', { ...set, counter, threshold: Number(threshold) }).then(onChange)}
        >
          Add
        </ActionButton>
      </div>
    </div>
  );
}
