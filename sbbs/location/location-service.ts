import { Injectable } from '../../slee/component-model/injectable.decorator.js';
import { ProfileFacility, type ProfileRecord } from '../../profiles/index.js';
import type { Binding } from './binding.js';
import { BINDINGS_QUERY, REGISTRATIONS_TABLE } from './registration-profile.js';

type RegistrationValues = Omit<Binding, 'path' | 'instance' | 'regId'> & { path: string[] | null; instance: string | null; regId: number | null };

/**
 * Where a user can be reached: the live bindings the registrar stored in the
 * `registrations` table. SBBs take it in their constructor (`@Injectable`).
 */
@Injectable()
export class LocationService {
  constructor(private readonly profiles: ProfileFacility) {}

  /** Bindings of an AOR unexpired at `now`, highest q first. */
  async lookup(aor: string, now: number = Date.now()): Promise<Binding[]> {
    return (await this.records(aor))
      .map((r) => r.binding)
      .filter((b) => b.expiresAt > now)
      .sort((a, b) => b.q - a.q || a.expiresAt - b.expiresAt);
  }

  /** Every stored binding of an AOR with its profile name, expired ones included (the registrar cleans those up). */
  async records(aor: string): Promise<Array<{ name: string; binding: Binding }>> {
    const rows = await this.profiles.query<RegistrationValues>(REGISTRATIONS_TABLE, BINDINGS_QUERY, { aor });
    return rows.map((r) => ({ name: r.name, binding: toBinding(r) }));
  }
}

function toBinding(record: ProfileRecord<RegistrationValues>): Binding {
  const v = record.values;
  return {
    aor: v.aor,
    contact: v.contact,
    q: v.q,
    expiresAt: v.expiresAt,
    callId: v.callId,
    cseq: v.cseq,
    ...(v.path && v.path.length > 0 ? { path: [...v.path] } : {}),
    ...(v.instance !== null && v.instance !== undefined && v.regId !== null && v.regId !== undefined ? { instance: v.instance, regId: v.regId } : {}),
  };
}
