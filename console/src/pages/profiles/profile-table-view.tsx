import { useState } from 'preact/hooks';
import { ApiError, del, get, patch, post, seg } from '../../lib/api';
import { useLoad } from '../../lib/use-load';
import type { ProfileRecordOut, ProfileTableRecord } from '../../lib/types';
import { ActionButton } from '../../components/action-button';
import { ErrorBox } from '../../components/error-box';
import { toast } from '../../components/toasts';
import { ProfileForm } from './profile-form';
import { ProfileSearch, type Search } from './profile-search';
import { CsvImport } from './csv-import';
import { toText } from './attribute-values';

const PAGE = 50;

/** One table: browse page by page or search, create, edit, delete, import. */
export function ProfileTableView({ table }: { table: ProfileTableRecord }) {
  const base = `/profiles/tables/${seg(table.name)}`;
  // Cursors of the pages before this one: name order, `after` the last name shown.
  const [cursors, setCursors] = useState<string[]>([]);
  const [search, setSearch] = useState<Search | null>(null);
  const [editing, setEditing] = useState<ProfileRecordOut | 'new' | null>(null);
  const after = cursors[cursors.length - 1];
  const rows = useLoad(
    () =>
      search
        ? runSearch(base, search)
        : get<ProfileRecordOut[]>(`${base}/profiles?limit=${PAGE}${after !== undefined ? `&after=${encodeURIComponent(after)}` : ''}`),
    [after, search],
  );
  const count = useLoad(() => get<{ count: number }>(`${base}/count`), []);
  const reload = async () => {
    await Promise.all([rows.reload(), count.reload()]);
  };
  const save = async (name: string, values: Record<string, unknown>) => {
    if (editing === 'new') await post(`${base}/profiles`, { name, values });
    else await patch(`${base}/profiles/${seg(name)}`, { values });
    toast('success', `${editing === 'new' ? 'Created' : 'Saved'} ${name}`);
    setEditing(null);
    await reload();
  };
  const list = rows.data ?? [];
  return (
    <div>
      <div class="title-row">
        <h2>
          {table.name} <span class="hint">{count.data ? `${count.data.count} profiles` : ''}</span>
        </h2>
        <button type="button" class="btn btn-primary" onClick={() => setEditing('new')}>
          New profile
        </button>
      </div>
      <ProfileSearch table={table} onSearch={(s) => (setSearch(s), setCursors([]))} />
      {editing ? (
        <ProfileForm
          key={editing === 'new' ? '' : editing.name}
          table={table}
          {...(editing !== 'new' ? { profile: editing } : {})}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
      ) : null}
      <ErrorBox error={rows.error} />
      <div class="scroll">
        <table class="grid" data-testid="profiles">
          <thead>
            <tr>
              <th>Name</th>
              {table.attributes.map((a) => (
                <th key={a.name}>{a.name}</th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((p) => (
              <tr key={p.name} data-profile={p.name}>
                <td>{p.name}</td>
                {table.attributes.map((a) => (
                  <td key={a.name}>{toText(a, p.values[a.name])}</td>
                ))}
                <td class="actions">
                  <button type="button" class="btn" onClick={() => setEditing(p)}>
                    Edit
                  </button>
                  <ActionButton
                    kind="danger"
                    confirm={`Delete profile ${p.name}?`}
                    run={() => del(`${base}/profiles/${seg(p.name)}`).then(reload)}
                    done={`Deleted ${p.name}`}
                  >
                    Delete
                  </ActionButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {search ? null : (
        <div class="pager">
          <button type="button" class="btn" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous
          </button>
          <button type="button" class="btn" disabled={list.length < PAGE} onClick={() => setCursors([...cursors, list[list.length - 1]!.name])}>
            Next
          </button>
        </div>
      )}
      <CsvImport table={table} onImported={reload} />
    </div>
  );
}

async function runSearch(base: string, search: Search): Promise<ProfileRecordOut[]> {
  if (search.attribute === '') {
    try {
      return [await get<ProfileRecordOut>(`${base}/profiles/${seg(search.value)}`)];
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return [];
      throw err;
    }
  }
  return post<ProfileRecordOut[]>(`${base}/find`, { expression: { op: search.op, attribute: search.attribute, value: search.value } });
}
