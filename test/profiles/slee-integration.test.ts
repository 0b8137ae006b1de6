import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { ProfileSpec } from '../../profiles/specification/profile-spec-decorator.js';
import { AddressAttr, Attr } from '../../profiles/specification/attr-decorator.js';
import { ProfileStore } from '../../profiles/storage/profile-store.js';
import { ProfileFacility } from '../../profiles/facility/profile-facility.js';
import { ProfileProvisioning } from '../../profiles/provisioning/profile-provisioning.js';
import { profileFacilityBinding } from '../../profiles/slee/profile-facility-binding.js';
import { profileAddressResolver } from '../../profiles/slee/profile-address-resolver.js';
import { connectProfileEvents } from '../../profiles/slee/connect-profile-events.js';
import type { ProfileUpdatedEvent } from '../../profiles/slee/profile-events.js';
import { CallEvent, deploy, startCoreFixture } from '../helpers/core-fixture.js';

@ProfileSpec({ name: 'Account', vendor: 'test', version: '1.0', writable: true })
class AccountProfile {
  @AddressAttr() address!: string;
  @Attr() credit!: number;
  @Attr() blocked!: boolean;
}

const seen: string[] = [];

@Service({ addressProfileTable: 'accounts' })
@Sbb()
class ChargingSbb {
  constructor(private readonly profiles: ProfileFacility) {}

  @InitialEvent({ select: ['AddressProfile'] })
  async onCall(event: { caller: string }, _aci: ActivityContextInterface) {
    const account = await this.profiles.findByAddress<{ credit: number; blocked: boolean }>('accounts', event.caller);
    if (!account) throw new Error('no account');
    seen.push(`${account.name}:credit=${account.values.credit}:blocked=${account.values.blocked}`);
    await this.profiles.set('accounts', account.name, { credit: account.values.credit - 1 });
    const again = await this.profiles.get<{ credit: number }>('accounts', account.name);
    seen.push(`own-write=${again!.values.credit}`);
    if (account.values.blocked) throw new Error('blocked accounts may not call');
  }
}

@Service({ priority: -1 })
@Sbb()
class AuditSbb {
  @InitialEvent({ select: ['ActivityContext'] })
  onProfileUpdated(event: ProfileUpdatedEvent) {
    seen.push(`updated:${event.profileName}:${String(event.before.values.credit)}->${String(event.after.values.credit)}`);
  }
}

async function setup() {
  seen.length = 0;
  const store = await ProfileStore.open({ url: ':memory:' });
  const binding = profileFacilityBinding(store);
  const fixture = await startCoreFixture({ facilities: [binding], addressProfileResolver: profileAddressResolver(binding.facility) });
  connectProfileEvents(fixture.slee, store);
  const provisioning = new ProfileProvisioning(store);
  await provisioning.createTable('accounts', AccountProfile);
  await provisioning.createProfile('accounts', 'alice', { address: 'sip:alice@example.com', credit: 10, blocked: false });
  await provisioning.createProfile('accounts', 'mallory', { address: 'sip:mallory@example.com', credit: 5, blocked: true });
  return { ...fixture, store, provisioning, facility: binding.facility };
}

test('an SBB reads a profile during an event, and its write commits with the event', async () => {
  const { slee, ra, store, facility, close } = await setup();
  deploy(slee, ChargingSbb);
  assert.equal(await ra.fire(ra.startActivity(), CallEvent, { caller: 'sip:alice@example.com' }, 'sip:alice@example.com'), false);
  await facility.flush();
  assert.deepEqual(seen, ['alice:credit=10:blocked=false', 'own-write=9']);
  assert.equal((await store.getProfile('accounts', 'alice'))!.values.credit, 9);
  await close();
  await store.close();
});

test("an SBB's profile write is rolled back with its transaction", async () => {
  const { slee, ra, store, facility, close } = await setup();
  deploy(slee, ChargingSbb);
  assert.equal(await ra.fire(ra.startActivity(), CallEvent, { caller: 'sip:mallory@example.com' }, 'sip:mallory@example.com'), true);
  await facility.flush();
  assert.deepEqual(seen, ['mallory:credit=5:blocked=true', 'own-write=4']);
  assert.equal((await store.getProfile('accounts', 'mallory'))!.values.credit, 5, 'the write did not reach the table');
  await close();
  await store.close();
});

test('an event whose address has no profile is not initial when the service selects on the address profile', async () => {
  const { slee, ra, store, close } = await setup();
  deploy(slee, ChargingSbb);
  assert.equal(await ra.fire(ra.startActivity(), CallEvent, { caller: 'sip:nobody@example.com' }, 'sip:nobody@example.com'), false);
  assert.deepEqual(seen, []);
  assert.equal(slee.kernel.entities.size, 0);
  await close();
  await store.close();
});

test('a management write invalidates the cache SBBs read through, and fires a profile-updated event', async () => {
  const { slee, ra, store, provisioning, facility, close } = await setup();
  deploy(slee, ChargingSbb, AuditSbb);
  await ra.fire(ra.startActivity(), CallEvent, { caller: 'sip:alice@example.com' }, 'sip:alice@example.com');
  await facility.flush();
  await slee.idle();
  assert.equal(seen.filter((s) => s.startsWith('updated:')).length, 1, 'the SBB write fired an update event');
  await provisioning.updateProfile('accounts', 'alice', { credit: 100 });
  await slee.idle();
  await ra.fire(ra.startActivity(), CallEvent, { caller: 'sip:alice@example.com' }, 'sip:alice@example.com');
  await facility.flush();
  await slee.idle();
  assert.ok(seen.includes('alice:credit=100:blocked=false'), `cache served a stale value: ${seen.join(' | ')}`);
  assert.ok(seen.includes('updated:alice:9->100'));
  await close();
  await store.close();
});
