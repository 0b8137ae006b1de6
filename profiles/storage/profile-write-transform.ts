/**
 * Rewrites the values of a write to a table before they are validated and
 * stored: a create's values (`before` undefined) or an update's changes
 * (`before` the stored values). For attributes that must never be stored as
 * given, such as a password kept only as hashes.
 */
export type ProfileWriteTransform = (
  values: Readonly<Record<string, unknown>>,
  before: Readonly<Record<string, unknown>> | undefined,
) => Record<string, unknown>;
