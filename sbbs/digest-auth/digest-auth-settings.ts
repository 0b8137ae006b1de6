import type { DigestAlgorithm } from './digest-algorithm.js';
import { DIGEST_ALGORITHMS } from './digest-algorithm.js';
import { TrustedSources } from './trusted-sources.js';

export interface DigestAuthConfig {
  /** The realm of every challenge; default: the domain of the user being authenticated (To for REGISTER, From otherwise). */
  realm?: string;
  /** Source CIDRs never challenged (gateways, other proxies), IPv4 or IPv6. */
  trusted?: readonly string[];
  /** How long a nonce is accepted; older ones get a stale=true challenge (default 5 minutes). */
  nonceTtlMs?: number;
  /** Algorithms offered, most preferred first (default SHA-256 then MD5). */
  algorithms?: readonly DigestAlgorithm[];
}

export interface DigestAuthSettings {
  realm: string | undefined;
  trusted: TrustedSources;
  nonceTtlMs: number;
  algorithms: readonly DigestAlgorithm[];
}

const DEFAULT_NONCE_TTL_MS = 5 * 60_000;

let current: DigestAuthSettings = settingsOf({});

/**
 * Sets the digest-auth service's configuration for this process. The node
 * calls it once at start (e.g. with its `--trusted` CIDRs), before traffic;
 * the SBB reads it per request, so a later call applies to new requests.
 * Invalid CIDRs throw CONFIG_INVALID and leave the settings unchanged.
 */
export function configureDigestAuth(config: DigestAuthConfig): void {
  current = settingsOf(config);
}

export function digestAuthSettings(): DigestAuthSettings {
  return current;
}

function settingsOf(config: DigestAuthConfig): DigestAuthSettings {
  return {
    realm: config.realm,
    trusted: new TrustedSources(config.trusted ?? []),
    nonceTtlMs: config.nonceTtlMs ?? DEFAULT_NONCE_TTL_MS,
    algorithms: config.algorithms ?? DIGEST_ALGORITHMS,
  };
}
