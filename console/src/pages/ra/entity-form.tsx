import { useState } from 'preact/hooks';
import { refOf } from '../../lib/component-ref';
import type { RaEntityInfo, RaTypeInfo } from '../../lib/types';
import { toast } from '../../components/toasts';

type Value = string | number | boolean;

interface Props {
  types: RaTypeInfo[];
  /** The entity being reconfigured; a new one when absent. */
  entity?: RaEntityInfo;
  onSave: (name: string, type: string, properties: Record<string, Value>) => Promise<void>;
  onCancel: () => void;
}

/** Creates an entity of a type, or changes an entity's configuration properties, one field per property. */
export function EntityForm({ types, entity, onSave, onCancel }: Props) {
  const [name, setName] = useState(entity?.name ?? '');
  const [type, setType] = useState(entity?.type ? refOf(entity.type) : types[0] ? refOf(types[0].id) : '');
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(entity?.config ?? {}).map(([k, v]) => [k, String(v)])));
  const spec = types.find((t) => refOf(t.id) === type);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const properties: Record<string, Value> = {};
      for (const p of spec?.configProperties ?? []) {
        const text = (texts[p.name] ?? '').trim();
        if (text === '') continue;
        properties[p.name] = p.type === 'number' ? Number(text) : p.type === 'boolean' ? text === 'true' : text;
      }
      await onSave(name.trim(), type, properties);
      toast('success', `${entity ? 'Reconfigured' : 'Created'} ${name}`);
    } catch (err) {
      toast('error', (err as Error).message);
    }
  };
  return (
    <form class="card profile-form" onSubmit={(e) => void submit(e)} data-testid="ra-entity-form">
      <h3>{entity ? `Configure ${entity.name}` : 'New resource-adaptor entity'}</h3>
      <div class="fields">
        <label>
          Name
          <input name="name" value={name} disabled={!!entity} required onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Type
          <select name="type" value={type} disabled={!!entity} onChange={(e) => setType(e.currentTarget.value)}>
            {types.map((t) => (
              <option key={refOf(t.id)} value={refOf(t.id)}>
                {t.id.name} {t.id.version}
              </option>
            ))}
          </select>
        </label>
        {(spec?.configProperties ?? []).map((p) => (
          <label key={p.name} title={p.description ?? ''}>
            {p.name}
            <input
              name={p.name}
              value={texts[p.name] ?? ''}
              placeholder={p.default !== undefined ? `${String(p.default)} (default)` : p.type}
              onInput={(e) => setTexts({ ...texts, [p.name]: e.currentTarget.value })}
            />
          </label>
        ))}
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary">
          {entity ? 'Save' : 'Create'}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
