import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { RaLink } from '../../slee/component-model/ra-link.decorator.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { ProfileFacility, type ProfileRecord } from '../../profiles/index.js';
import type { SipProvider } from '../../resource-adaptors/sip/ra/sip-provider.js';
import type { SipRequestEvent } from '../../resource-adaptors/sip/ra/sip-events.js';
import { SUBSCRIBERS_TABLE, type Subscriber } from '../subscribers/subscriber-profile.js';
import { aorOf } from '../location/aor.js';
import { digestAuthSettings } from './digest-auth-settings.js';
import { verifyDigest } from './verify-digest.js';
import { buildChallenges } from './build-challenges.js';
import { createNonce } from './nonce.js';
import { AuthAttributes } from './auth-attributes.js';

/**
 * Digest authentication (RFC 3261 §22, RFC 8760) in front of the registrar
 * and the proxy: REGISTER for our domains gets 401, requests from our own
 * users (From in our domains) get 407, until they carry valid credentials
 * from the `subscribers` table. Foreign users and trusted sources pass
 * unchallenged. On success the user is recorded on the activity
 * (`AuthAttributes`) for the services after this one (priority 100).
 */
@Service({ name: 'DigestAuth', vendor: 'sleet', version: '1.0', priority: 100 })
@Sbb({ name: 'DigestAuthSbb', vendor: 'sleet', version: '1.0' })
export class DigestAuthSbb {
  constructor(
    @RaLink('sip') private readonly sip: SipProvider,
    private readonly profiles: ProfileFacility,
  ) {}

  @InitialEvent()
  async onRegister(event: SipRequestEvent, aci: ActivityContextInterface): Promise<void> {
    await this.authenticate(event, aci, 'registrar');
  }

  @InitialEvent()
  async onInvite(event: SipRequestEvent, aci: ActivityContextInterface): Promise<void> {
    await this.authenticate(event, aci, 'proxy');
  }

  @InitialEvent()
  async onMessage(event: SipRequestEvent, aci: ActivityContextInterface): Promise<void> {
    await this.authenticate(event, aci, 'proxy');
  }

  @InitialEvent()
  async onSubscribe(event: SipRequestEvent, aci: ActivityContextInterface): Promise<void> {
    await this.authenticate(event, aci, 'proxy');
  }

  @InitialEvent()
  async onRefer(event: SipRequestEvent, aci: ActivityContextInterface): Promise<void> {
    await this.authenticate(event, aci, 'proxy');
  }

  private async authenticate(event: SipRequestEvent, aci: ActivityContextInterface, role: 'registrar' | 'proxy'): Promise<void> {
    const tx = event.transaction;
    if (tx === null || tx.isAnswered) return;
    const request = tx.request;
    const user = role === 'registrar' ? request.to.uri : request.from.uri;
    if (!user.isSip || !this.sip.isLocal(user.host, user.port)) return;
    const settings = digestAuthSettings();
    if (event.source !== null && settings.trusted.contains(event.source.remoteAddress)) {
      aci.set(AuthAttributes.TRUSTED, true);
      return;
    }
    const realm = settings.realm ?? user.host.toLowerCase();
    let subscriber: ProfileRecord<Subscriber> | undefined;
    const verdict = await verifyDigest({
      headers: request.getAll(role === 'registrar' ? 'Authorization' : 'Proxy-Authorization'),
      method: request.method,
      realm,
      nonceTtlMs: settings.nonceTtlMs,
      passwordOf: async (username) => {
        subscriber = (await this.profiles.find<Subscriber>(SUBSCRIBERS_TABLE, (q) => q.equals('username', username)))[0];
        return subscriber?.values.password;
      },
    });
    if (verdict.result === 'ok' && subscriber !== undefined) {
      if (role === 'proxy' && aorOf(user) !== subscriber.values.address) {
        tx.respond(403, { reason: 'Forbidden - From does not match the credentials' });
        return;
      }
      aci.set(AuthAttributes.USER, verdict.username);
      aci.set(AuthAttributes.AOR, subscriber.values.address);
      return;
    }
    const challenges = buildChallenges({ realm, nonce: createNonce(), stale: verdict.result === 'stale', algorithms: settings.algorithms });
    if (role === 'registrar') tx.respond(401, { headers: { 'WWW-Authenticate': challenges } });
    else tx.respond(407, { headers: { 'Proxy-Authenticate': challenges } });
  }
}
