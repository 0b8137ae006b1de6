import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';

/** A profile table as the catalogue records it. */
export interface ProfileTableInfo {
  readonly name: string;
  /** The real SQL table; stays the same when the profile table is renamed. */
  readonly sqlTable: string;
  readonly spec: ProfileSpecificationModel;
  /** The JSLEE default profile: values new profiles start from. */
  readonly defaultProfile: Readonly<Record<string, unknown>>;
}
