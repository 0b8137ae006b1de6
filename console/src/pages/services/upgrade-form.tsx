import { useState } from 'preact/hooks';
import { post } from '../../lib/api';
import { refOf } from '../../lib/component-ref';
import type { ServiceInfo } from '../../lib/types';
import { toast } from '../../components/toasts';

interface Props {
  services: ServiceInfo[];
  onDone: () => Promise<void>;
}

interface Drain {
  from: string;
  startedWith: number;
}

/**
 * A versioned upgrade: new activities go to the inactive version, the
 * active one drains. The drain bar follows the old version's root entities.
 */
export function UpgradeForm({ services, onDone }: Props) {
  const active = services.filter((s) => s.state === 'ACTIVE');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [drain, setDrain] = useState<Drain | null>(null);
  const fromService = active.find((s) => refOf(s.id) === from);
  const targets = services.filter((s) => s.state === 'INACTIVE' && (!fromService || s.id.name === fromService.id.name));
  const upgrade = async (e: Event) => {
    e.preventDefault();
    try {
      await post('/services/deactivate-and-activate', { deactivate: from, activate: to });
      toast('success', `Upgrading ${from} to ${to}`);
      setDrain({ from, startedWith: fromService?.rootEntities ?? 0 });
      setFrom('');
      setTo('');
      await onDone();
    } catch (err) {
      toast('error', `Upgrade failed: ${(err as Error).message}`);
    }
  };
  const draining = drain ? services.find((s) => refOf(s.id) === drain.from) : undefined;
  return (
    <div class="card">
      <h3>Upgrade</h3>
      <form class="inline-form" onSubmit={(e) => void upgrade(e)}>
        <label>
          From (active)
          <select name="from" value={from} onChange={(e) => (setFrom(e.currentTarget.value), setTo(''))}>
            <option value="">choose…</option>
            {active.map((s) => (
              <option key={refOf(s.id)} value={refOf(s.id)}>
                {s.id.name} {s.id.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          To (inactive)
          <select name="to" value={to} onChange={(e) => setTo(e.currentTarget.value)}>
            <option value="">choose…</option>
            {targets.map((s) => (
              <option key={refOf(s.id)} value={refOf(s.id)}>
                {s.id.name} {s.id.version}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="btn btn-primary" disabled={!from || !to}>
          Upgrade
        </button>
      </form>
      {drain && draining ? <DrainProgress drain={drain} service={draining} /> : null}
    </div>
  );
}

function DrainProgress({ drain, service }: { drain: Drain; service: ServiceInfo }) {
  const left = service.state === 'INACTIVE' ? 0 : service.rootEntities;
  const total = Math.max(drain.startedWith, left, 1);
  const done = service.state === 'INACTIVE';
  return (
    <div class="drain" data-testid="drain" data-state={service.state}>
      <span>
        {drain.from}: {done ? 'drained, INACTIVE' : `${service.state}, ${left} root entities left`}
      </span>
      <progress max={total} value={done ? total : total - left} />
    </div>
  );
}
