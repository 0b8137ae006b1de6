import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { SipRequest } from '../message/index.js';
import { sipHashKey, sipHashTextBase64url, type SipHashKey } from './sip-hash.js';

/** The Record-Route URI parameter that carries the token. */
export const ROUTE_TOKEN_PARAM = 'rrt';

/** Shorter secrets are refused: the token is only as strong as the key. */
export const MIN_ROUTE_SECRET_BYTES = 32;

/** A token or a branch signature: SipHash-2-4's 64 bits, in base64url. */
const MAC_CHARS = 11;
/** A token of the release before SipHash: 128 bits of an HMAC-SHA-256. */
const EARLIER_TOKEN_BYTES = 16;
const BRANCH_MAC_BYTES = 8;

/**
 * Tokens this proxy puts in its Record-Route URIs so that it relays an
 * in-dialog request only along a route set it record-routed: a SipHash-2-4
 * of the Call-ID and the initiator's tag under a key derived from the node
 * secret. In-dialog requests carry the initiator's tag as From tag one way
 * and as To tag the other, so either may match. Nothing is stored per
 * dialog: every node holding the same secret verifies the tokens of the
 * others. Another key derived from the secret signs the Via branches of the
 * requests we forward, so that only responses to them are relayed when no
 * transaction takes them.
 *
 * SipHash is a keyed pseudorandom function made for short inputs. In the
 * running node an HMAC through OpenSSL cost about 11 µs, and the three of
 * a call (the token, two branch signatures) about 3% of it; SipHash in
 * JavaScript costs a tenth of that. Tokens and branches made with the HMAC
 * by a node of the release before still verify (a token by its length), so
 * that dialogs and answers go on while a cluster is upgraded node by node.
 */
export class RouteTokens {
  private readonly secret: Buffer;
  private readonly tokenKey: SipHashKey;
  private readonly branchKey: SipHashKey;

  constructor(secret: Buffer = randomBytes(MIN_ROUTE_SECRET_BYTES)) {
    if (secret.length < MIN_ROUTE_SECRET_BYTES) {
      throw new SleetError(ErrorCode.CONFIG_INVALID, `the route secret must be at least ${MIN_ROUTE_SECRET_BYTES} bytes, not ${secret.length}`);
    }
    this.secret = Buffer.from(secret);
    this.tokenKey = this.derivedKey('sleet route token key');
    this.branchKey = this.derivedKey('sleet branch signature key');
  }

  /** The token for the dialog a request without To tag may create. */
  issue(request: SipRequest): string {
    return this.tokenText(request.callId, request.from.tag ?? '');
  }

  /** Whether `token` was issued for the dialog `request` belongs to, in either direction. */
  verifies(token: string | null | undefined, request: SipRequest): boolean {
    if (typeof token !== 'string') return false;
    // The From tag first (the initiator's own requests, the ACK among them), the To tag only when it fails. Each
    // comparison takes the same time whatever the characters, so timing tells nothing about the token's value; it
    // tells whether the From tag matched, which a sender learns anyway by sending the request with another To tag.
    const from = request.from.tag;
    const to = request.to.tag;
    if (token.length === MAC_CHARS) {
      if (from !== undefined && sameText(token, this.tokenText(request.callId, from))) return true;
      return to !== undefined && sameText(token, this.tokenText(request.callId, to));
    }
    const raw = Buffer.from(token, 'base64url');
    if (raw.length !== EARLIER_TOKEN_BYTES || raw.toString('base64url') !== token) return false;
    if (from !== undefined && timingSafeEqual(raw, this.earlierTokenMac(request.callId, from))) return true;
    return to !== undefined && timingSafeEqual(raw, this.earlierTokenMac(request.callId, to));
  }

  /** The signature that ends a branch we build from `body` (the part after the magic cookie). */
  signBranch(body: string): string {
    return sipHashTextBase64url(this.branchKey, body);
  }

  /** Whether a branch `<cookie><body>.<signature>` was built by a holder of the key. */
  verifiesBranch(branch: string, cookie: string): boolean {
    const dot = branch.lastIndexOf('.');
    if (!branch.startsWith(cookie) || dot <= cookie.length || branch.length - dot - 1 !== MAC_CHARS) return false;
    const signature = branch.slice(dot + 1);
    const body = branch.slice(cookie.length, dot);
    if (sameText(signature, sipHashTextBase64url(this.branchKey, body))) return true;
    // Signed by a node of a release before SipHash, while a cluster is upgraded node by node.
    return sameText(signature, this.earlierBranchMac(body).toString('base64url'));
  }

  private derivedKey(purpose: string): SipHashKey {
    return sipHashKey(this.hmac(purpose, 16));
  }

  private tokenText(callId: string, tag: string): string {
    return sipHashTextBase64url(this.tokenKey, `${callId}\n${tag}`);
  }

  private earlierTokenMac(callId: string, tag: string): Buffer {
    return this.hmac(`${callId}\n${tag}`, EARLIER_TOKEN_BYTES);
  }

  private earlierBranchMac(body: string): Buffer {
    return this.hmac(`branch\n${body}`, BRANCH_MAC_BYTES);
  }

  /** The first `bytes` of HMAC-SHA-256 of `text` under the secret: the keys' derivation, and the MACs of the release before. */
  private hmac(text: string, bytes: number): Buffer {
    return createHmac('sha256', this.secret).update(text).digest().subarray(0, bytes);
  }
}

/** Whether two strings are equal, in a time that depends on their length alone (a MAC's, which is public), not on where they differ. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
