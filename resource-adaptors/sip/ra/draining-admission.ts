import type { SipAdmission } from '../stack/index.js';

/**
 * A draining node answers new INVITEs with 503, so that the dispatcher
 * fails them over at once rather than the node taking a call it is about to
 * stop under; everything else goes on to overload control, if any.
 */
export function drainingAdmission(draining: () => boolean, overload: SipAdmission | undefined): SipAdmission {
  return {
    admit: (request) => !(request.method === 'INVITE' && draining()) && (overload?.admit(request) ?? true),
    retryAfterSeconds: () => overload?.retryAfterSeconds() ?? 0,
    rejectPercent: () => (draining() ? 100 : (overload?.rejectPercent() ?? 0)),
  };
}
