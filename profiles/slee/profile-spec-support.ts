import type { ComponentId } from '../../slee/component-model/component-id.js';
import type { ProfileSpecSupport } from '../../slee/deployment/profile-spec-support.js';
import { SPEC_KEY } from '../specification/metadata-keys.js';
import type { ProfileStore } from '../storage/profile-store.js';

/** Deployment's view of profiles: @ProfileSpec classes are profile specifications, and the store's tables use them. */
export function profileSpecSupport(store: ProfileStore): ProfileSpecSupport {
  return {
    declaredId: (value) => (typeof value === 'function' ? (Reflect.getMetadata(SPEC_KEY, value) as ComponentId | undefined) : undefined),
    listTables: () => store.listTables(),
  };
}
