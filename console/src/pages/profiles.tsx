import type { PageProps } from './page-props';
import { get } from '../lib/api';
import { href } from '../lib/route';
import { useLoad } from '../lib/use-load';
import type { ProfileTableRecord } from '../lib/types';
import { ErrorBox } from '../components/error-box';
import { ProfileTableView } from './profiles/profile-table-view';

/** Profile tables on the left, the chosen table's profiles on the right (#/profiles/<table>). */
export function Profiles({ path }: PageProps) {
  const tables = useLoad(() => get<ProfileTableRecord[]>('/profiles/tables'), []);
  const chosen = tables.data?.find((t) => t.name === path[0]);
  return (
    <section class="split">
      <aside class="side">
        <h2>Profile tables</h2>
        <ErrorBox error={tables.error} />
        <ul class="side-list" data-testid="profile-tables">
          {(tables.data ?? []).map((t) => (
            <li key={t.name} class={t === chosen ? 'active' : ''}>
              <a href={href('profiles', t.name)} data-table={t.name}>
                {t.name}
              </a>
              <span class="hint">{t.spec}</span>
            </li>
          ))}
        </ul>
      </aside>
      <div class="main-pane">{chosen ? <ProfileTableView key={chosen.name} table={chosen} /> : <p class="hint">Choose a table.</p>}</div>
    </section>
  );
}
