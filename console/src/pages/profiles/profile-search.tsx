import { useState } from 'preact/hooks';
import type { ProfileTableRecord } from '../../lib/types';

/** A profile name (attribute ''), or a dynamic query on one attribute. */
export interface Search {
  attribute: string;
  op: 'equals' | 'hasPrefix';
  value: string;
}

/** Search by profile name or by an attribute (equals, starts with): `POST …/find`. */
export function ProfileSearch({ table, onSearch }: { table: ProfileTableRecord; onSearch: (search: Search | null) => void }) {
  const searchable = table.attributes.filter((a) => !a.array && (a.kind === 'string' || a.kind === 'enum'));
  const [attribute, setAttribute] = useState('');
  const [op, setOp] = useState<Search['op']>('equals');
  const [value, setValue] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    onSearch(value.trim() === '' ? null : { attribute, op: attribute === '' ? 'equals' : op, value: value.trim() });
  };
  return (
    <form class="inline-form" onSubmit={submit} data-testid="profile-search">
      <label>
        Search
        <select name="attribute" value={attribute} onChange={(e) => setAttribute(e.currentTarget.value)}>
          <option value="">profile name</option>
          {searchable.map((a) => (
            <option key={a.name} value={a.name}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Match
        <select name="op" value={op} disabled={attribute === ''} onChange={(e) => setOp(e.currentTarget.value as Search['op'])}>
          <option value="equals">equals</option>
          <option value="hasPrefix">starts with</option>
        </select>
      </label>
      <label>
        Value
        <input name="value" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </label>
      <button type="submit" class="btn">
        Search
      </button>
      <button type="button" class="btn" onClick={() => (setValue(''), onSearch(null))}>
        Clear
      </button>
    </form>
  );
}
