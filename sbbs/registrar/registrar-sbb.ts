import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { RaLink } from '../../slee/component-model/ra-link.decorator.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { ProfileFacility } from '../../profiles/index.js';
import type { SipProvider } from '../../resource-adaptors/sip/ra/sip-provider.js';
import type { SipRequestEvent } from '../../resource-adaptors/sip/ra/sip-events.js';
import type { ServerTransactionActivity } from '../../resource-adaptors/sip/ra/server-transaction-activity.js';
import { SUBSCRIBERS_TABLE } from '../subscribers/subscriber-profile.js';
import { AuthAttributes } from '../digest-auth/auth-attributes.js';
import { aorOf } from '../location/aor.js';
import { LocationService } from '../location/location-service.js';
import { REGISTRATIONS_TABLE } from '../location/registration-profile.js';
import { registrationName } from '../location/registration-name.js';
import type { Binding } from '../location/binding.js';
import { bindingKey } from '../location/binding-key.js';
import { splitList } from '../../resource-adaptors/sip/message/lexical.js';
import { planRegistration, type BindingUpdate } from './plan-registration.js';
import { registrarSettings } from './registrar-settings.js';

/**
 * The registrar (RFC 3261 §10.3) for the AORs of our domains: bindings live
 * in the `registrations` profile table, written in the event's transaction,
 * so they survive restarts. Needs the digest-auth service before it: only
 * the authenticated owner of an AOR (or a trusted source) may change it.
 * Path (RFC 3327) is stored with each binding; an outbound registration
 * (RFC 5626) is kept per instance and reg-id, with a Path of ours naming
 * the flow when it reached us directly.
 */
@Service({ name: 'Registrar', vendor: 'sleet', version: '1.0', priority: 20, skipAnswered: true })
@Sbb({ name: 'RegistrarSbb', vendor: 'sleet', version: '1.0' })
export class RegistrarSbb {
  constructor(
    @RaLink('sip') private readonly sip: SipProvider,
    private readonly profiles: ProfileFacility,
    private readonly location: LocationService,
  ) {}

  @InitialEvent()
  async onRegister({ request, transaction: tx, source }: SipRequestEvent, aci: ActivityContextInterface<SipRequestEvent>): Promise<void> {
    const to = request.to.uri;
    const aor = aorOf(to);
    if (aor === undefined || !this.sip.isLocal(to.host, to.port)) {
      tx.respond(403, { reason: 'Forbidden - not a domain of this registrar' });
      return;
    }
    if ((await this.profiles.findByAddress(SUBSCRIBERS_TABLE, aor)) === undefined) {
      tx.respond(404, { reason: 'Not Found - no such user' });
      return;
    }
    if (aci.get<boolean>(AuthAttributes.TRUSTED) !== true && aci.get<string>(AuthAttributes.AOR) !== aor) {
      tx.respond(403, { reason: 'Forbidden - not authorised for this address of record' });
      return;
    }
    const now = Date.now();
    const records = await this.location.records(aor);
    const live = records.filter((r) => r.binding.expiresAt > now);
    const plan = planRegistration(
      request,
      live.map((r) => r.binding),
      registrarSettings(),
    );
    if (plan.kind === 'reject') {
      tx.respond(plan.status, { reason: plan.reason, ...(plan.headers ? { headers: plan.headers } : {}) });
      return;
    }
    const existing = new Set(records.map((r) => r.name));
    const touched = new Set<string>();
    const received = request.getAll('Path').flatMap(splitList);
    // RFC 5626 §5.1: with no edge proxy before us we are the first hop; our own Path entry names the flow.
    const path = plan.outbound && received.length === 0 ? [`<${this.sip.flowRoute(source)}>`] : received;
    for (const update of plan.updates) {
      touched.add(registrationName(aor, bindingKey(update)));
      await this.apply(aor, update, existing, { callId: request.callId, cseq: request.cseq.seq, path, now });
    }
    // Expired rows of this AOR go now rather than waiting for the sweeper.
    for (const r of records) if (r.binding.expiresAt <= now && !touched.has(r.name)) await this.profiles.remove(REGISTRATIONS_TABLE, r.name);
    this.answer(tx, await this.location.lookup(aor, now), now, plan.outbound);
  }

  private async apply(
    aor: string,
    update: BindingUpdate,
    existing: Set<string>,
    from: { callId: string; cseq: number; path: string[]; now: number },
  ): Promise<void> {
    const name = registrationName(aor, bindingKey(update));
    if (update.expires === 0) {
      if (existing.has(name)) await this.profiles.remove(REGISTRATIONS_TABLE, name);
      return;
    }
    const values = {
      aor,
      contact: update.contact,
      q: update.q,
      expiresAt: from.now + update.expires * 1000,
      callId: from.callId,
      cseq: from.cseq,
      path: from.path,
      ...(update.regId === undefined ? {} : { instance: update.instance, regId: update.regId }),
    };
    if (existing.has(name)) await this.profiles.set(REGISTRATIONS_TABLE, name, values);
    else await this.profiles.create(REGISTRATIONS_TABLE, name, values);
  }

  /** 200 listing every current binding with the seconds it has left (§10.3 step 8); for outbound, RFC 5626 §6's Require and Flow-Timer. */
  private answer(tx: ServerTransactionActivity, bindings: Binding[], now: number, outbound: boolean): void {
    const contacts = bindings.map((b) => {
      const flow = b.regId === undefined ? '' : `;+sip.instance="${b.instance}";reg-id=${b.regId}`;
      return `<${b.contact}>;expires=${Math.max(0, Math.round((b.expiresAt - now) / 1000))};q=${formatQ(b.q)}${flow}`;
    });
    const headers: Record<string, string | string[]> = { Date: new Date(now).toUTCString() };
    if (contacts.length > 0) headers['Contact'] = contacts;
    if (outbound) {
      headers['Require'] = 'outbound';
      headers['Flow-Timer'] = String(registrarSettings().flowTimer);
    }
    tx.respond(200, { headers });
  }
}

function formatQ(q: number): string {
  return q === 1 ? '1.0' : String(Math.round(q * 1000) / 1000);
}
