import { useState } from 'preact/hooks';
import { del, get, patch, post, seg } from '../lib/api';
import { useLoad } from '../lib/use-load';
import { useNotifications } from '../lib/notifications';
import { refOf } from '../lib/component-ref';
import type { LinkInfo, RaEntityInfo, RaTypeInfo } from '../lib/types';
import { ActionButton } from '../components/action-button';
import { ErrorBox } from '../components/error-box';
import { StateBadge } from '../components/state-badge';
import { EntityForm } from './ra/entity-form';
import { LinkTable } from './ra/link-table';

/** Resource-adaptor entities: create, configure, activate, deactivate, remove; link names. */
export function RaEntities() {
  const entities = useLoad(() => get<RaEntityInfo[]>('/ra/entities'), [], 5000);
  const types = useLoad(() => get<RaTypeInfo[]>('/ra/types'), []);
  const links = useLoad(() => get<LinkInfo[]>('/ra/links'), []);
  const [editing, setEditing] = useState<RaEntityInfo | 'new' | null>(null);
  useNotifications((n) => {
    if (n.type === 'ra-entity-state') void entities.reload();
  });
  const reload = async () => {
    await Promise.all([entities.reload(), links.reload()]);
  };
  const save = async (name: string, type: string, properties: Record<string, string | number | boolean>) => {
    if (editing === 'new') await post('/ra/entities', { name, type, properties });
    else await patch(`/ra/entities/${seg(name)}`, { properties });
    setEditing(null);
    await reload();
  };
  return (
    <section>
      <div class="title-row">
        <h2>Resource-adaptor entities</h2>
        <button type="button" class="btn btn-primary" onClick={() => setEditing('new')}>
          New entity
        </button>
      </div>
      <ErrorBox error={entities.error} />
      {editing ? (
        <EntityForm
          key={editing === 'new' ? '' : editing.name}
          types={types.data ?? []}
          {...(editing !== 'new' ? { entity: editing } : {})}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
      ) : null}
      <table class="grid" data-testid="ra-entities">
        <thead>
          <tr>
            <th>Entity</th>
            <th>Type</th>
            <th>State</th>
            <th>Activities</th>
            <th>Configuration</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(entities.data ?? []).map((e) => (
            <tr key={e.name} data-entity={e.name}>
              <td>{e.name}</td>
              <td>{e.type ? refOf(e.type) : '(in process)'}</td>
              <td>
                <StateBadge state={e.state} />
              </td>
              <td>{e.activities}</td>
              <td class="components">
                {Object.entries(e.config).map(([k, v]) => (
                  <span key={k} class="chip">
                    {k}={String(v)}
                  </span>
                ))}
              </td>
              <td class="actions">
                <button type="button" class="btn" disabled={!e.type} onClick={() => setEditing(e)}>
                  Configure
                </button>
                {e.state === 'INACTIVE' ? (
                  <ActionButton kind="primary" run={() => post(`/ra/entities/${seg(e.name)}/activate`).then(reload)}>
                    Activate
                  </ActionButton>
                ) : (
                  <ActionButton
                    disabled={e.state !== 'ACTIVE'}
                    confirm={`Deactivate ${e.name}? Its activities end first.`}
                    run={() => post(`/ra/entities/${seg(e.name)}/deactivate`).then(reload)}
                  >
                    Deactivate
                  </ActionButton>
                )}
                <ActionButton
                  kind="danger"
                  disabled={e.state !== 'INACTIVE'}
                  confirm={`Remove ${e.name}?`}
                  run={() => del(`/ra/entities/${seg(e.name)}`).then(reload)}
                >
                  Remove
                </ActionButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Link names</h2>
      <LinkTable links={links.data ?? []} entities={(entities.data ?? []).map((e) => e.name)} onChange={reload} />
    </section>
  );
}
