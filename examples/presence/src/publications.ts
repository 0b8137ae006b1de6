import { randomBytes } from 'node:crypto';

/** One PUBLISH's state (RFC 3903 §4.1: an entity tag, a document and an expiry). */
export interface Publication {
  pidf: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Epoch ms of the last modification: the latest is what watchers see. */
  modifiedAt: number;
}

/** Publications of one presentity by entity tag; immutable, so a CMP field can hold it. */
export type Publications = Readonly<Record<string, Publication>>;

export function newEntityTag(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * The document watchers see (the composition policy of this agent): the
 * most recently modified publication's; undefined when there is none.
 * Expired publications are removed by their timers, which is when watchers hear of it.
 */
export function currentDocument(publications: Publications): string | undefined {
  let latest: Publication | undefined;
  for (const publication of Object.values(publications)) {
    if (latest === undefined || publication.modifiedAt >= latest.modifiedAt) latest = publication;
  }
  return latest?.pidf;
}

export function without(publications: Publications, etag: string): Publications {
  const { [etag]: _gone, ...rest } = publications;
  return rest;
}
