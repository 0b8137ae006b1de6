export { SubscriberProfile, SUBSCRIBERS_TABLE, type Subscriber } from './subscribers/subscriber-profile.js';
export { deriveSubscriberCredentials } from './subscribers/derive-subscriber-credentials.js';
export { subscriberRealm } from './subscribers/subscriber-realm.js';
export { openTelephonyTables, type SubscriberMigration } from './open-telephony-tables.js';
export { DigestAuthSbb, DigestAuthAlarms } from './digest-auth/digest-auth-sbb.js';
export { AuthAttributes } from './digest-auth/auth-attributes.js';
export {
  configureDigestAuth,
  digestAuthSettings,
  DIGEST_AUTH_DEFAULTS,
  type DigestAuthConfig,
  type DigestAuthSettings,
} from './digest-auth/digest-auth-settings.js';
export { NonceBook, type NonceCheck, type NonceBookOptions } from './digest-auth/nonce-book.js';
export { AuthFailureGuard, type AuthFailureLimits, type GuardKey } from './digest-auth/auth-failure-guard.js';
export { DIGEST_ALGORITHMS, digestHash, parseDigestAlgorithm, type DigestAlgorithm } from './digest-auth/digest-algorithm.js';
export { digestHa1, digestResponse, digestResponseFromHa1, type DigestInput, type Ha1Input } from './digest-auth/digest-response.js';
export { parseDigestCredentials, type DigestParams } from './digest-auth/parse-digest-credentials.js';
export { buildChallenges, type ChallengeOptions } from './digest-auth/build-challenges.js';
export { verifyDigest, type DigestVerdict, type VerifyOptions, type StoredCredentials } from './digest-auth/verify-digest.js';
export { createNonce, checkNonce, type NonceState } from './digest-auth/nonce.js';
export { TrustedSources } from './digest-auth/trusted-sources.js';
export { RegistrarSbb } from './registrar/registrar-sbb.js';
export { configureRegistrar, registrarSettings, type RegistrarConfig, type RegistrarSettings } from './registrar/registrar-settings.js';
export { planRegistration, type RegistrationPlan, type BindingUpdate } from './registrar/plan-registration.js';
export { LocationService } from './location/location-service.js';
export type { Binding } from './location/binding.js';
export { RegistrationProfile, REGISTRATIONS_TABLE } from './location/registration-profile.js';
export { registrationName } from './location/registration-name.js';
export { aorOf } from './location/aor.js';
export { sweepExpiredRegistrations, startRegistrationSweeper } from './location/registration-sweeper.js';
export { LocationProxySbb } from './proxy/location-proxy-sbb.js';
