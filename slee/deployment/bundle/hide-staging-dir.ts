import { SleetError } from '../../../base/errors/sleet-error.js';

/**
 * A refusal as the one who sent the bundle can read it: paths inside the
 * node's staging directory become paths inside the bundle, so the error
 * says what is wrong with the archive and nothing of the server's disk.
 */
export function hideStagingDir(err: unknown, staging: string): unknown {
  if (!SleetError.is(err)) return err;
  const hide = (text: string) => text.split(`${staging}/`).join('').split(staging).join('the bundle');
  const details = Array.isArray(err.details) ? err.details.map((d: unknown) => (typeof d === 'string' ? hide(d) : d)) : err.details;
  if (!err.message.includes(staging) && details === err.details) return err;
  return new SleetError(err.code, hide(err.message), {
    ...(details === undefined ? {} : { details }),
    ...(err.cause === undefined ? {} : { cause: err.cause }),
  });
}
