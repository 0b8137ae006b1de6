import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { EventHandler } from '../../slee/component-model/event-handler.decorator.js';
import { RaLink } from '../../slee/component-model/ra-link.decorator.js';
import { UsageParameters } from '../../slee/component-model/usage-parameters.decorator.js';
import { AlarmFacility } from '../../slee/facilities/alarm/alarm-facility.js';
import { Usage } from '../../slee/facilities/usage/usage.js';
import { Tracer } from '../../slee/facilities/trace/tracer.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { ProfileFacility, type ProfileRecord } from '../../profiles/index.js';
import type { SipProvider } from '../../resource-adaptors/sip/ra/sip-provider.js';
import type { SipRequestEvent } from '../../resource-adaptors/sip/ra/sip-events.js';
import { SipRequestEvents } from '../../resource-adaptors/sip/ra/sip-event-types.js';
import { SUBSCRIBERS_TABLE, type Subscriber } from '../subscribers/subscriber-profile.js';
import { aorOf } from '../location/aor.js';
import { digestAuthSettings } from './digest-auth-settings.js';
import { verifyDigest } from './verify-digest.js';
import { buildChallenges } from './build-challenges.js';
import { parseDigestCredentials } from './parse-digest-credentials.js';
import type { GuardKey } from './auth-failure-guard.js';
import { AuthAttributes } from './auth-attributes.js';

/** Alarm types the service raises. */
export const DigestAuthAlarms = {
  /** A username or source address is locked out after too many failures; cleared when the lockout ends. */
  LOCKOUT: 'sleet.digest-auth.lockout',
  /** A subscriber's HA1s were made for another realm than the one it is challenged in: it needs its password set again. */
  REALM_MISMATCH: 'sleet.digest-auth.realm-mismatch',
} as const;

/**
 * Digest authentication (RFC 3261 §22, RFC 8760) in front of the registrar
 * and the proxy: REGISTER for our domains gets 401, requests from our own
 * users (From in our domains) get 407, until they carry valid credentials
 * checked against the HA1s of the `subscribers` table. Each nonce count is
 * accepted once; too many failures lock the username or the source out
 * (403 while locked, an alarm and usage counters). Foreign users and
 * trusted sources pass unchallenged. On success the user is recorded on
 * the activity (`AuthAttributes`) for the services after this one
 * (priority 100).
 */
@Service({ name: 'DigestAuth', vendor: 'sleet', version: '1.0', priority: 100, skipAnswered: true })
@UsageParameters({ counters: ['successes', 'challenges', 'stale', 'failures', 'replays', 'lockouts', 'refusedLocked'] })
@Sbb({ name: 'DigestAuthSbb', vendor: 'sleet', version: '1.0' })
export class DigestAuthSbb {
  constructor(
    @RaLink('sip') private readonly sip: SipProvider,
    private readonly profiles: ProfileFacility,
    private readonly alarms: AlarmFacility,
    private readonly usage: Usage,
    private readonly tracer: Tracer,
  ) {}

  /** REGISTER is challenged by the registrar's realm (401), anything else by the proxy's (407). */
  @EventHandler([
    SipRequestEvents.REGISTER,
    SipRequestEvents.INVITE,
    SipRequestEvents.MESSAGE,
    SipRequestEvents.SUBSCRIBE,
    SipRequestEvents.PUBLISH,
    SipRequestEvents.REFER,
  ])
  @InitialEvent()
  async authenticate(event: SipRequestEvent, aci: ActivityContextInterface<SipRequestEvent>): Promise<void> {
    const { request, transaction: tx } = event;
    const role = request.method === 'REGISTER' ? 'registrar' : 'proxy';
    const user = role === 'registrar' ? request.to.uri : request.from.uri;
    if (!user.isSip || !this.sip.isLocal(user.host, user.port)) return;
    const settings = digestAuthSettings();
    if (settings.trusted.contains(event.source.remoteAddress)) {
      aci.set(AuthAttributes.TRUSTED, true);
      return;
    }
    const realm = settings.realm ?? user.host.toLowerCase();
    const headers = request.getAll(role === 'registrar' ? 'Authorization' : 'Proxy-Authorization');
    const sourceKey: GuardKey[] = [`source:${plainAddress(event.source.remoteAddress)}`];
    const claimed = headers
      .map(parseDigestCredentials)
      .filter((p) => p?.get('realm') === realm && p.get('username') !== undefined)
      .map((p): GuardKey => `user:${p!.get('username')!}`);
    const lockedUntil = settings.guard.lockedUntil([...sourceKey, ...claimed]);
    if (lockedUntil !== undefined) {
      this.usage.increment('refusedLocked');
      const seconds = Math.max(1, Math.ceil((lockedUntil - settings.clock.now()) / 1000));
      tx.respond(403, { reason: 'Forbidden - too many failed authentication attempts', headers: { 'Retry-After': String(seconds) } });
      return;
    }
    let subscriber: ProfileRecord<Subscriber> | undefined;
    const verdict = await verifyDigest({
      headers,
      method: request.method,
      realm,
      nonces: settings.nonces,
      credentialsOf: async (username) => {
        subscriber = (await this.profiles.find<Subscriber>(SUBSCRIBERS_TABLE, (q) => q.equals('username', username)))[0];
        if (subscriber === undefined) return undefined;
        return { realm: subscriber.values.realm, ha1: { MD5: subscriber.values.ha1Md5, 'SHA-256': subscriber.values.ha1Sha256 } };
      },
    });
    if (verdict.result === 'ok' && subscriber !== undefined) {
      settings.guard.succeed(`user:${verdict.username}`);
      if (role === 'proxy' && aorOf(user) !== subscriber.values.address) {
        tx.respond(403, { reason: 'Forbidden - From does not match the credentials' });
        return;
      }
      this.usage.increment('successes');
      aci.set(AuthAttributes.USER, verdict.username);
      aci.set(AuthAttributes.AOR, subscriber.values.address);
      return;
    }
    if (verdict.result === 'invalid' || verdict.result === 'replay') {
      // One line per failure, naming who and from where; never the credentials.
      const from = event.source === null ? 'an internal source' : `${plainAddress(event.source.remoteAddress)}:${event.source.remotePort}`;
      this.tracer.warning(
        `failed digest authentication of '${verdict.username ?? '(unknown user)'}' from ${from} on ${request.method} ${request.callId}: ${verdict.result === 'replay' ? 'a nonce used again' : 'wrong credentials'}`,
      );
      this.failed(verdict, sourceKey);
    } else this.usage.increment(verdict.result === 'stale' ? 'stale' : 'challenges');
    const challenges = buildChallenges({ realm, nonce: settings.nonces.issue(), stale: verdict.result === 'stale', algorithms: settings.algorithms });
    if (role === 'registrar') tx.respond(401, { headers: { 'WWW-Authenticate': challenges } });
    else tx.respond(407, { headers: { 'Proxy-Authenticate': challenges } });
  }

  private failed(verdict: { result: 'invalid' | 'replay'; username?: string; realmMismatch?: string }, sourceKey: GuardKey[]): void {
    this.usage.increment('failures');
    if (verdict.result === 'replay') this.usage.increment('replays');
    if (verdict.realmMismatch !== undefined && verdict.username !== undefined) {
      this.alarms.raiseAlarm(
        DigestAuthAlarms.REALM_MISMATCH,
        `user:${verdict.username}`,
        'WARNING',
        `subscriber '${verdict.username}' has credentials for realm '${verdict.realmMismatch}' only: set the password again to hash it for the realm in use`,
      );
    }
    const settings = digestAuthSettings();
    const keys: GuardKey[] = verdict.username === undefined ? sourceKey : [...sourceKey, `user:${verdict.username}`];
    const alarms = this.alarms;
    for (const key of settings.guard.fail(keys, (unlocked) => alarms.clearAlarm(DigestAuthAlarms.LOCKOUT, unlocked))) {
      this.usage.increment('lockouts');
      const { lockoutMs, failureWindowMs } = settings.guard.limits;
      alarms.raiseAlarm(
        DigestAuthAlarms.LOCKOUT,
        key,
        'MINOR',
        `${key} locked out for ${Math.round(lockoutMs / 1000)} s after too many failed digest authentications within ${Math.round(failureWindowMs / 1000)} s`,
      );
    }
  }
}

/** `::ffff:10.1.2.3` counts as `10.1.2.3`, so one host has one key whichever socket it came in on. */
function plainAddress(address: string): string {
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;
}
