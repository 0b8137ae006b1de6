import { useState } from 'preact/hooks';
import type { ProfileRecordOut, ProfileTableRecord } from '../../lib/types';
import { fromText, toText, type Attribute } from './attribute-values';
import { toast } from '../../components/toasts';

interface Props {
  table: ProfileTableRecord;
  /** The profile being edited; a new one when absent. */
  profile?: ProfileRecordOut;
  onSave: (name: string, values: Record<string, unknown>) => Promise<void>;
  onCancel: () => void;
}

/** A form with one field per attribute of the table's specification, typed by its kind. */
export function ProfileForm({ table, profile, onSave, onCancel }: Props) {
  const [name, setName] = useState(profile?.name ?? '');
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(table.attributes.map((a) => [a.name, toText(a, profile ? profile.values[a.name] : a.default)])),
  );
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const values: Record<string, unknown> = {};
      for (const a of table.attributes) {
        const value = fromText(a, texts[a.name] ?? '');
        // On edit an emptied field clears the attribute; on create it is left to its default.
        if (value !== undefined) values[a.name] = value;
        else if (profile && profile.values[a.name] !== undefined && profile.values[a.name] !== null) values[a.name] = null;
      }
      await onSave(name.trim(), values);
    } catch (err) {
      toast('error', (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card profile-form" onSubmit={(e) => void submit(e)} data-testid="profile-form">
      <h3>{profile ? `Edit ${profile.name}` : `New profile in ${table.name}`}</h3>
      <div class="fields">
        <label>
          Profile name
          <input name="profileName" value={name} disabled={!!profile} required onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        {table.attributes.map((a) => (
          <Field key={a.name} attribute={a} text={texts[a.name] ?? ''} onText={(text) => setTexts({ ...texts, [a.name]: text })} />
        ))}
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {profile ? 'Save' : 'Create'}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Field({ attribute: a, text, onText }: { attribute: Attribute; text: string; onText: (text: string) => void }) {
  const label = `${a.name}${a.required ? ' *' : ''}`;
  const hint = a.array ? `${a.kind}[] as JSON` : a.kind;
  if (a.values && !a.array) {
    return (
      <label>
        {label}
        <select name={a.name} value={text} onChange={(e) => onText(e.currentTarget.value)}>
          {a.required ? null : <option value="" />}
          {a.values.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>
    );
  }
  if (a.kind === 'boolean' && !a.array) {
    return (
      <label>
        {label}
        <select name={a.name} value={text} onChange={(e) => onText(e.currentTarget.value)}>
          <option value="" />
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      </label>
    );
  }
  return (
    <label title={hint}>
      {label}
      <input
        name={a.name}
        value={text}
        placeholder={hint}
        inputMode={a.kind === 'number' && !a.array ? 'decimal' : 'text'}
        onInput={(e) => onText(e.currentTarget.value)}
      />
    </label>
  );
}
