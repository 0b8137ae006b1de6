/**
 * One profile write; a list of them commits atomically. `expectedVersion` is
 * the version of the profile the writer read (see `versionOf`): the write
 * fails with PROFILE_WRITE_CONFLICT if the profile changed since.
 */
export type ProfileWrite =
  | { readonly kind: 'create'; readonly table: string; readonly name: string; readonly values: Readonly<Record<string, unknown>> }
  | {
      readonly kind: 'update';
      readonly table: string;
      readonly name: string;
      readonly changes: Readonly<Record<string, unknown>>;
      readonly expectedVersion?: number;
    }
  | { readonly kind: 'remove'; readonly table: string; readonly name: string; readonly expectedVersion?: number };
