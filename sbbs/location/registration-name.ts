import { createHash } from 'node:crypto';

/** The profile name of one binding: a digest of AOR and contact, so any URI fits the name column. */
export function registrationName(aor: string, contact: string): string {
  return createHash('sha256').update(`${aor}\n${contact}`).digest('hex').slice(0, 40);
}
