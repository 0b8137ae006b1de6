import type { TestContext } from 'node:test';
import { Slee } from '../../../slee/container/slee.js';
import { SipResourceAdaptor } from '../../../resource-adaptors/sip/ra/sip-resource-adaptor.js';
import { silentLogger } from '../../helpers/silent-logger.js';
import type { ConfigProperties } from '../../../slee/resource-adaptor/resource-adaptor.js';
import type { ProfileStore } from '../../../profiles/storage/profile-store.js';
import { profileFacilityBinding } from '../../../profiles/slee/profile-facility-binding.js';

type ServiceRoot = new (...args: never[]) => object;

export interface SipSleeOptions {
  /** Makes the ProfileFacility injectable into the services' SBBs. */
  profiles?: ProfileStore;
}

/** A running SLEE with the SIP RA bound to link name 'sip' on 127.0.0.1, stopped after the test whatever its outcome. */
export async function startSipSlee(t: TestContext, config: ConfigProperties, ...services: ServiceRoot[]) {
  return startSipSleeWith(t, config, {}, ...services);
}

/** `startSipSlee` with SLEE options (a profile store for the ProfileFacility). */
export async function startSipSleeWith(t: TestContext, config: ConfigProperties, options: SipSleeOptions, ...services: ServiceRoot[]) {
  const slee = new Slee({
    logger: silentLogger(),
    ...(options.profiles === undefined ? {} : { facilities: [profileFacilityBinding(options.profiles)] }),
  });
  const ra = new SipResourceAdaptor();
  await slee.createResourceAdaptorEntity('sip', ra, { host: '127.0.0.1', ...config });
  slee.bindLinkName('sip', 'sip');
  await slee.activateResourceAdaptorEntity('sip');
  await slee.start();
  for (const service of services) slee.activateService(slee.installService(service));
  const close = async () => {
    if (slee.state === 'RUNNING') await slee.stop();
  };
  t.after(close);
  return { slee, ra, close };
}
