import { del, seg } from '../../lib/api';
import { refOf } from '../../lib/component-ref';
import type { DeployableUnit, ServiceInfo } from '../../lib/types';
import { ActionButton } from '../../components/action-button';

interface Props {
  units: DeployableUnit[];
  services: ServiceInfo[];
  onChange: () => Promise<void>;
}

/** Installed units with their components; a unit uninstalls once its services are inactive. */
export function UnitTable({ units, services, onChange }: Props) {
  const stateOf = new Map(services.map((s) => [refOf(s.id), s.state]));
  return (
    <table class="grid" data-testid="units">
      <thead>
        <tr>
          <th>Unit</th>
          <th>Version</th>
          <th>Installed</th>
          <th>Components</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {units.map((u) => {
          const running = u.components.filter((c) => c.kind === 'service' && stateOf.get(refOf(c.id)) !== 'INACTIVE');
          return (
            <tr key={u.id} data-unit={u.id}>
              <td>{u.id}</td>
              <td>{u.version}</td>
              <td>{new Date(u.installedAt).toLocaleString()}</td>
              <td class="components">
                {u.components.map((c) => (
                  <span key={`${c.kind}/${refOf(c.id)}`} class="chip" title={refOf(c.id)}>
                    {c.kind}: {c.id.name} {c.id.version}
                  </span>
                ))}
              </td>
              <td class="actions">
                <ActionButton
                  kind="danger"
                  disabled={running.length > 0}
                  title={running.length > 0 ? 'deactivate its services first' : undefined}
                  confirm={`Uninstall ${u.id}?`}
                  run={() => del(`/deployment/units/${seg(u.id)}`).then(onChange)}
                  done={`Uninstalled ${u.id}`}
                >
                  Uninstall
                </ActionButton>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
