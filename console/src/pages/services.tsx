import { get, post, seg } from '../lib/api';
import { useLoad } from '../lib/use-load';
import { useNotifications } from '../lib/notifications';
import { refOf } from '../lib/component-ref';
import type { DeployableUnit, ServiceInfo } from '../lib/types';
import { ActionButton } from '../components/action-button';
import { ErrorBox } from '../components/error-box';
import { StateBadge } from '../components/state-badge';
import { UnitUpload } from './services/unit-upload';
import { UnitTable } from './services/unit-table';
import { UpgradeForm } from './services/upgrade-form';

/** Services and deployable units: install, activate, deactivate, upgrade with drain progress, uninstall. */
export function Services() {
  // Polled while open: root-entity counts show a draining service's progress.
  const services = useLoad(() => get<ServiceInfo[]>('/services'), [], 2000);
  const units = useLoad(() => get<DeployableUnit[]>('/deployment/units'), []);
  const reload = async () => {
    await Promise.all([services.reload(), units.reload()]);
  };
  useNotifications((n) => {
    if (n.type === 'service-state') void services.reload();
  });
  const list = services.data ?? [];
  return (
    <section>
      <h2>Services</h2>
      <ErrorBox error={services.error} />
      <table class="grid" data-testid="services">
        <thead>
          <tr>
            <th>Service</th>
            <th>Vendor</th>
            <th>Version</th>
            <th>State</th>
            <th>Priority</th>
            <th>Root entities</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((s) => (
            <tr key={refOf(s.id)} data-service={refOf(s.id)}>
              <td>{s.id.name}</td>
              <td>{s.id.vendor}</td>
              <td>{s.id.version}</td>
              <td>
                <StateBadge state={s.state} />
              </td>
              <td>{s.priority}</td>
              <td>{s.rootEntities}</td>
              <td class="actions">
                {s.state === 'INACTIVE' ? (
                  <ActionButton
                    kind="primary"
                    run={() => post(`/services/${seg(refOf(s.id))}/activate`).then(reload)}
                    done={`${s.id.name} ${s.id.version} activated`}
                  >
                    Activate
                  </ActionButton>
                ) : (
                  <ActionButton
                    disabled={s.state !== 'ACTIVE'}
                    run={() => post(`/services/${seg(refOf(s.id))}/deactivate`).then(reload)}
                    confirm={`Deactivate ${s.id.name} ${s.id.version}? It drains, then stops.`}
                  >
                    Deactivate
                  </ActionButton>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <UpgradeForm services={list} onDone={reload} />
      <h2>Deployable units</h2>
      <UnitUpload onInstalled={reload} />
      <ErrorBox error={units.error} />
      <UnitTable units={units.data ?? []} services={list} onChange={reload} />
    </section>
  );
}
