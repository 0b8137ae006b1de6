import type { TestContext } from 'node:test';
import { ProfileStore } from '../../profiles/storage/profile-store.js';
import { openTelephonyTables } from '../../sbbs/open-telephony-tables.js';
import { SUBSCRIBERS_TABLE } from '../../sbbs/subscribers/subscriber-profile.js';
import { DigestAuthSbb } from '../../sbbs/digest-auth/digest-auth-sbb.js';
import { RegistrarSbb } from '../../sbbs/registrar/registrar-sbb.js';
import { LocationProxySbb } from '../../sbbs/proxy/location-proxy-sbb.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { startSipSleeWith } from '../sip/ra/sip-ra-fixture.js';

export const DOMAIN = 'sleet.test';
export const USERS = { alice: 'alice-secret', bob: 'bob-secret', carol: 'carol-secret' } as const;

/** Opens (or reopens) a profile store with the telephony tables and the demo subscribers; closed after the test. */
export async function openSubscriberStore(t: TestContext, url = ':memory:'): Promise<ProfileStore> {
  const store = await ProfileStore.open({ url });
  let closed = false;
  const close = store.close.bind(store);
  // Tests that simulate a restart close it early; the cleanup must not close it twice.
  store.close = async () => {
    if (closed) return;
    closed = true;
    await close();
  };
  t.after(() => store.close());
  await openTelephonyTables(store);
  for (const [user, password] of Object.entries(USERS)) {
    if (!(await store.getProfile(SUBSCRIBERS_TABLE, user))) {
      await store.createProfile(SUBSCRIBERS_TABLE, user, { address: `sip:${user}@${DOMAIN}`, username: user, password, displayName: user });
    }
  }
  return store;
}

/** A SLEE on a free loopback port serving DOMAIN with digest auth, registrar and location proxy over `store`. */
export async function startTelephonySlee(t: TestContext, store: ProfileStore, domains = DOMAIN) {
  const sipPort = await freePort();
  const started = await startSipSleeWith(
    t,
    { port: sipPort, transports: 'udp,tcp', domains },
    { profiles: store },
    DigestAuthSbb,
    RegistrarSbb,
    LocationProxySbb,
  );
  return { ...started, port: sipPort };
}
