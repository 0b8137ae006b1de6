import { Attr, Indexed, ProfileQuery, ProfileSpec, param } from '../../profiles/index.js';

/** The `registrations` table: one profile per AOR and contact, or per AOR and flow for RFC 5626 (named by `registrationName` of `bindingKey`), written by the registrar. */
@ProfileSpec({ name: 'RegistrationProfile', vendor: 'sleet', version: '1.0', writable: true })
@ProfileQuery('bindings', (q) => q.equals('aor', param('aor')))
export class RegistrationProfile {
  @Indexed() aor!: string;
  @Attr({ required: true }) contact!: string;
  @Attr({ default: 1 }) q!: number;
  /** Epoch ms; lookups ignore bindings past it and the sweeper removes them. */
  @Indexed() expiresAt!: number;
  @Attr() callId!: string;
  @Attr() cseq!: number;
  @Attr({ type: 'string', array: true }) path!: string[];
  /** RFC 5626 outbound registrations only (the row is then named by instance and reg-id): added columns, null in older rows. */
  @Attr() instance!: string;
  @Attr() regId!: number;
}

export const REGISTRATIONS_TABLE = 'registrations';

/** The static query for an AOR's rows: static, so its result is kept in the profile cache until the table changes. */
export const BINDINGS_QUERY = 'bindings';
