import { randomBytes } from 'node:crypto';
import type { Clock } from '../../base/clock/clock.js';
import { wallClock } from '../../base/clock/wall-clock.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { DigestAlgorithm } from './digest-algorithm.js';
import { DIGEST_ALGORITHMS } from './digest-algorithm.js';
import { TrustedSources } from './trusted-sources.js';
import { NonceBook } from './nonce-book.js';
import { AuthFailureGuard, type AuthFailureLimits } from './auth-failure-guard.js';

export interface DigestAuthConfig extends Partial<AuthFailureLimits> {
  /** The realm of every challenge; default: the domain of the user being authenticated (To for REGISTER, From otherwise). */
  realm?: string;
  /** Source CIDRs never challenged (gateways, other proxies), IPv4 or IPv6. */
  trusted?: readonly string[];
  /** How long a nonce is accepted; older ones get a stale=true challenge (default 5 minutes). */
  nonceTtlMs?: number;
  /** Most outstanding nonces remembered (default 100,000). */
  nonceCapacity?: number;
  /** Algorithms offered, most preferred first (default SHA-256 then MD5). */
  algorithms?: readonly DigestAlgorithm[];
  /** HMAC key of the nonces, at least 32 bytes (the node reads `<data-dir>/digest-secret`); default: random per process. */
  secret?: Buffer;
  /** Time for nonces and lockouts (a FakeClock in tests). */
  clock?: Clock;
}

export interface DigestAuthSettings {
  realm: string | undefined;
  trusted: TrustedSources;
  nonceTtlMs: number;
  algorithms: readonly DigestAlgorithm[];
  clock: Clock;
  nonces: NonceBook;
  guard: AuthFailureGuard;
}

export const DIGEST_AUTH_DEFAULTS = {
  nonceTtlMs: 5 * 60_000,
  nonceCapacity: 100_000,
  maxFailuresPerUser: 10,
  maxFailuresPerSource: 30,
  failureWindowMs: 10 * 60_000,
  lockoutMs: 15 * 60_000,
  maxTracked: 10_000,
} as const;

const PROCESS_SECRET = randomBytes(32);

let current: DigestAuthSettings = settingsOf({});

/**
 * Sets the digest-auth service's configuration for this process. The node
 * calls it once at start (its `--trusted` CIDRs, lockout limits and the
 * nonce secret from the data directory), before traffic; the SBB reads it
 * per request, so a later call applies to new requests, with a new nonce
 * table and failure counts. Invalid settings throw CONFIG_INVALID and
 * leave the settings unchanged.
 */
export function configureDigestAuth(config: DigestAuthConfig): void {
  current = settingsOf(config);
}

export function digestAuthSettings(): DigestAuthSettings {
  return current;
}

function settingsOf(config: DigestAuthConfig): DigestAuthSettings {
  const d = DIGEST_AUTH_DEFAULTS;
  const clock = config.clock ?? wallClock();
  const secret = config.secret ?? PROCESS_SECRET;
  if (secret.length < 32) throw new SleetError(ErrorCode.CONFIG_INVALID, `the digest nonce secret must be at least 32 bytes, got ${secret.length}`);
  const limits: AuthFailureLimits = {
    maxFailuresPerUser: whole('maxFailuresPerUser', config.maxFailuresPerUser ?? d.maxFailuresPerUser, 0),
    maxFailuresPerSource: whole('maxFailuresPerSource', config.maxFailuresPerSource ?? d.maxFailuresPerSource, 0),
    failureWindowMs: whole('failureWindowMs', config.failureWindowMs ?? d.failureWindowMs, 1),
    lockoutMs: whole('lockoutMs', config.lockoutMs ?? d.lockoutMs, 1),
    maxTracked: whole('maxTracked', config.maxTracked ?? d.maxTracked, 1),
  };
  const nonceTtlMs = whole('nonceTtlMs', config.nonceTtlMs ?? d.nonceTtlMs, 1);
  return {
    realm: config.realm,
    trusted: new TrustedSources(config.trusted ?? []),
    nonceTtlMs,
    algorithms: config.algorithms ?? DIGEST_ALGORITHMS,
    clock,
    nonces: new NonceBook({ secret, ttlMs: nonceTtlMs, capacity: whole('nonceCapacity', config.nonceCapacity ?? d.nonceCapacity, 1), now: () => clock.now() }),
    guard: new AuthFailureGuard(limits, clock),
  };
}

function whole(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min)
    throw new SleetError(ErrorCode.CONFIG_INVALID, `digest auth ${name} must be an integer of at least ${min}, got ${value}`);
  return value;
}
