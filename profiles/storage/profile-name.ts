import { validationError } from './value-validation.js';

/** The longest profile or table name. */
export const MAX_NAME_LENGTH = 255;

/** A profile name is a non-empty string of at most MAX_NAME_LENGTH characters. */
export function checkProfileName(name: unknown): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw validationError('profileName', `must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
  }
}
