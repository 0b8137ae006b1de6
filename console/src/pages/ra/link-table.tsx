import { useState } from 'preact/hooks';
import { del, post, seg } from '../../lib/api';
import type { LinkInfo } from '../../lib/types';
import { ActionButton } from '../../components/action-button';

/** Link names SBBs use (`@RaLink('sip')`) and the entities they are bound to. */
export function LinkTable({ links, entities, onChange }: { links: LinkInfo[]; entities: string[]; onChange: () => Promise<void> }) {
  const [link, setLink] = useState('');
  const [entity, setEntity] = useState('');
  return (
    <div>
      <table class="grid" data-testid="ra-links">
        <thead>
          <tr>
            <th>Link name</th>
            <th>Entity</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {links.map((l) => (
            <tr key={l.link}>
              <td>{l.link}</td>
              <td>{l.entity}</td>
              <td class="actions">
                <ActionButton kind="danger" confirm={`Unbind ${l.link}?`} run={() => del(`/ra/links/${seg(l.link)}`).then(onChange)}>
                  Unbind
                </ActionButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="inline-form">
        <label>
          Link name
          <input name="link" value={link} onInput={(e) => setLink(e.currentTarget.value)} />
        </label>
        <label>
          Entity
          <select name="entity" value={entity} onChange={(e) => setEntity(e.currentTarget.value)}>
            <option value="">choose…</option>
            {entities.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <ActionButton disabled={!link || !entity} run={() => post('/ra/links', { link, entity }).then(onChange)} done={`Bound ${link}`}>
          Bind
        </ActionButton>
      </div>
    </div>
  );
}
