import { z } from 'zod';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { SipUri } from '../message/index.js';

/** Longer addresses are refused before parsing: no SIP element needs one, and a header carries it. */
export const MAX_SIP_URI_LENGTH = 1024;

/** A bare user name of the local domain (the user part of `sip:NAME@domain`). */
const USER_NAME = /^[A-Za-z0-9._~+-]+$/;

/**
 * Why `text` is not a SIP or SIPS URI the stack can address, or null when
 * it is. It is read by the stack's own parser, so what passes here is
 * exactly what `createRequest` and `bridge` accept.
 */
export function sipUriProblem(text: string): string | null {
  if (text.length > MAX_SIP_URI_LENGTH) return `longer than ${MAX_SIP_URI_LENGTH} characters`;
  let uri: SipUri;
  try {
    uri = SipUri.parse(text);
  } catch (err) {
    return SleetError.is(err) ? err.message : String(err);
  }
  if (!uri.isSip) return `scheme '${uri.scheme}' is not sip or sips`;
  if (uri.host === '') return 'no host';
  return null;
}

/** A SIP or SIPS URI with a host, checked by the stack's parser: for HTTP bodies and other untrusted input. */
export const sipUriSchema = z
  .string()
  .trim()
  .max(MAX_SIP_URI_LENGTH)
  .superRefine((text, ctx) => {
    const problem = sipUriProblem(text);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: `not a SIP URI: ${problem}` });
  });

/** A party of a call: a SIP or SIPS URI (as `sipUriSchema`), or a bare user name of the local domain. */
export const sipPartySchema = z
  .string()
  .trim()
  .max(MAX_SIP_URI_LENGTH)
  .superRefine((text, ctx) => {
    if (!text.includes(':')) {
      if (!USER_NAME.test(text)) ctx.addIssue({ code: 'custom', message: 'a user name has only letters, digits and . _ ~ + -' });
      return;
    }
    const problem = sipUriProblem(text);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: `not a SIP URI: ${problem}` });
  });
