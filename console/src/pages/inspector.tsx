import { useState } from 'preact/hooks';
import type { PageProps } from './page-props';
import { get, seg } from '../lib/api';
import { href } from '../lib/route';
import { useLoad } from '../lib/use-load';
import { refOf } from '../lib/component-ref';
import type { ActivityInfo, SbbEntitySummary, ServiceInfo } from '../lib/types';
import { ErrorBox } from '../components/error-box';
import { StateBadge } from '../components/state-badge';
import { ActivityDetail } from './inspector/activity-detail';
import { EntityDetail } from './inspector/entity-detail';

/**
 * Live activities and SBB entities (#/inspector/activity/<id>, #/inspector/entity/<id>):
 * attachments, timers, names, CMP fields, children.
 */
export function Inspector({ path }: PageProps) {
  const [kind, id] = path;
  return (
    <section class="split">
      <div class="main-pane">
        <ActivityList selected={kind === 'activity' ? id : undefined} />
        <EntityList selected={kind === 'entity' ? id : undefined} />
      </div>
      <aside class="detail">
        {kind === 'activity' && id ? <ActivityDetail key={id} id={id} /> : null}
        {kind === 'entity' && id ? <EntityDetail key={id} id={id} /> : null}
        {!id ? <p class="hint">Choose an activity or an SBB entity.</p> : null}
      </aside>
    </section>
  );
}

function ActivityList({ selected }: { selected: string | undefined }) {
  const activities = useLoad(() => get<ActivityInfo[]>('/activities'), [], 3000);
  const [filter, setFilter] = useState('');
  const shown = (activities.data ?? []).filter((a) => !filter || `${a.id} ${a.handle} ${a.owner ?? ''} ${a.names.join(' ')}`.includes(filter));
  return (
    <div>
      <div class="title-row">
        <h2>
          Activities <span class="hint">{activities.data ? `${activities.data.length} live` : ''}</span>
        </h2>
        <input placeholder="filter" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      </div>
      <ErrorBox error={activities.error} />
      <div class="scroll tall">
        <table class="grid" data-testid="activities">
          <thead>
            <tr>
              <th>Activity</th>
              <th>Owner</th>
              <th>State</th>
              <th>Entities</th>
              <th>Timers</th>
              <th>Queued</th>
              <th>Names</th>
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, 500).map((a) => (
              <tr key={a.id} class={a.id === selected ? 'selected' : ''} data-activity={a.id}>
                <td>
                  <a href={href('inspector', 'activity', a.id)}>{a.handle}</a>
                </td>
                <td>{a.owner ?? ''}</td>
                <td>
                  <StateBadge state={a.state} />
                </td>
                <td>{a.attachedEntities}</td>
                <td>{a.timers}</td>
                <td>{a.queuedEvents}</td>
                <td>{a.names.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function EntityList({ selected }: { selected: string | undefined }) {
  const services = useLoad(() => get<ServiceInfo[]>('/services'), []);
  const [service, setService] = useState('');
  const entities = useLoad(() => (service ? get<SbbEntitySummary[]>(`/services/${seg(service)}/entities`) : Promise.resolve([])), [service], 3000);
  return (
    <div>
      <div class="title-row">
        <h2>SBB entities</h2>
        <select name="service" value={service} onChange={(e) => setService(e.currentTarget.value)}>
          <option value="">choose a service…</option>
          {(services.data ?? []).map((s) => (
            <option key={refOf(s.id)} value={refOf(s.id)}>
              {s.id.name} {s.id.version} ({s.rootEntities} root)
            </option>
          ))}
        </select>
      </div>
      <ErrorBox error={entities.error} />
      <table class="grid" data-testid="sbb-entities">
        <thead>
          <tr>
            <th>Entity</th>
            <th>SBB</th>
            <th>Parent</th>
            <th>Priority</th>
            <th>Attachments</th>
          </tr>
        </thead>
        <tbody>
          {(entities.data ?? []).slice(0, 500).map((e) => (
            <tr key={e.id} class={e.id === selected ? 'selected' : ''}>
              <td>
                <a href={href('inspector', 'entity', e.id)}>{e.id}</a>
              </td>
              <td>{e.sbb.name}</td>
              <td>{e.parent ? <a href={href('inspector', 'entity', e.parent)}>{e.parent}</a> : ''}</td>
              <td>{e.priority}</td>
              <td>{e.attachments}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
