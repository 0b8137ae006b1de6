import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Attr, Indexed, ProfileSpec, ProfileStore } from '../../profiles/index.js';
import { RegistrationProfile } from '../../sbbs/location/registration-profile.js';
import { mariadbBackend, sqliteBackend, uniqueTableName, type ProfileBackend } from '../profiles/profile-backends.js';

/** The registrations spec as it was before RFC 5626 outbound. */
@ProfileSpec({ name: 'RegistrationProfile', vendor: 'sleet', version: '1.0', writable: true })
class RegistrationProfileBeforeOutbound {
  @Indexed() aor!: string;
  @Attr({ required: true }) contact!: string;
  @Attr({ default: 1 }) q!: number;
  @Indexed() expiresAt!: number;
  @Attr() callId!: string;
  @Attr() cseq!: number;
  @Attr({ type: 'string', array: true }) path!: string[];
}

for (const backend of [sqliteBackend(), mariadbBackend()]) upgradeTest(backend);

function upgradeTest(backend: ProfileBackend): void {
  test(`a registrations table from before outbound is upgraded in place on ${backend.name}: its rows kept, with no flow`, async (t) => {
    const opened = await backend.open();
    assert.ok(opened instanceof ProfileStore, `${backend.name} must be reachable`);
    const store = opened;
    const table = uniqueTableName('registrations');
    t.after(async () => {
      if (store.hasTable(table)) await store.removeTable(table);
      await store.close();
      backend.cleanup();
    });
    await store.openTable(table, RegistrationProfileBeforeOutbound);
    const row = { aor: 'sip:bob@sleet.test', contact: 'sip:bob@127.0.0.1:5070', q: 1, expiresAt: 1, callId: 'c', cseq: 1, path: [] };
    await store.createProfile(table, 'old', row);
    const upgrade = await store.upgradeTable(table, RegistrationProfile);
    assert.deepEqual(upgrade.addedAttributes.sort(), ['instance', 'regId']);
    const old = await store.getProfile(table, 'old');
    assert.equal(old?.values['contact'], row.contact);
    assert.equal(old?.values['instance'] ?? null, null);
    assert.equal(old?.values['regId'] ?? null, null);
    await store.createProfile(table, 'flow', { ...row, instance: '<urn:uuid:1>', regId: 2 });
    assert.equal((await store.getProfile(table, 'flow'))?.values['regId'], 2);
  });
}
