import type { TestContext } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileFacility, ProfileStore } from '../../profiles/index.js';
import type { SleeTransaction } from '../../slee/transaction/slee-transaction.js';

/** A profile store on a fresh SQLite file and a facility over it, both closed and the file removed when `t` ends. */
export async function facilityOnSqlite(
  t: TestContext,
  currentTransaction: () => SleeTransaction | undefined = () => undefined,
): Promise<{ store: ProfileStore; facility: ProfileFacility }> {
  const dir = mkdtempSync(join(tmpdir(), 'sleet-facility-'));
  const store = await ProfileStore.open({ url: join(dir, 'profiles.sqlite') });
  const facility = new ProfileFacility(store, currentTransaction);
  t.after(async () => {
    facility.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, facility };
}
