import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';

/** A spec class decorated with `@ProfileSpec`, or an already scanned model. */
export type ProfileSpecInput = Function | ProfileSpecificationModel;
