import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { EventHandler } from '../../slee/component-model/event-handler.decorator.js';
import { RaLink } from '../../slee/component-model/ra-link.decorator.js';
import type { InitialEventSelector } from '../../slee/component-model/initial-event-select.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { ProfileFacility } from '../../profiles/index.js';
import type { SipProvider } from '../../resource-adaptors/sip/ra/sip-provider.js';
import type { SipRequestEvent } from '../../resource-adaptors/sip/ra/sip-events.js';
import { SipRequestEvents } from '../../resource-adaptors/sip/ra/sip-event-types.js';
import { SUBSCRIBERS_TABLE } from '../subscribers/subscriber-profile.js';
import { SipUri } from '../../resource-adaptors/sip/message/index.js';
import { aorOf } from '../location/aor.js';
import { LocationService } from '../location/location-service.js';
import { AuthAttributes } from '../digest-auth/auth-attributes.js';
import { digestAuthSettings } from '../digest-auth/digest-auth-settings.js';

/**
 * The routing proxy (priority 10, after auth, screening and forwarding):
 * requests for users of our domains go to their registered contacts, q-value
 * groups one after the other (equal q in parallel), record-routed so the
 * dialog's ACK and BYE come back through us. Unknown user: 404; not
 * registered: 480. No open relay: a Request-URI in someone else's domain,
 * or a Route naming a next hop other than us, gets 403 unless the request
 * carries a pre-loaded Route of ours and comes from a trusted source or a
 * user the digest-auth service authenticated (`AuthAttributes.USER`).
 */
@Service({ name: 'LocationProxy', vendor: 'sleet', version: '1.0', priority: 10, skipAnswered: true })
@Sbb({ name: 'LocationProxySbb', vendor: 'sleet', version: '1.0' })
export class LocationProxySbb {
  constructor(
    @RaLink('sip') private readonly sip: SipProvider,
    private readonly profiles: ProfileFacility,
    private readonly location: LocationService,
  ) {}

  @EventHandler([SipRequestEvents.INVITE, SipRequestEvents.MESSAGE, SipRequestEvents.SUBSCRIBE, SipRequestEvents.OPTIONS])
  @InitialEvent({ selector: 'toUser' })
  async route(event: SipRequestEvent, aci: ActivityContextInterface<SipRequestEvent>): Promise<void> {
    const { request, transaction: tx } = event;
    const target = request.uri;
    const routes = request.routes.map((r) => r.uri);
    const firstForeign = routes.findIndex((uri) => !this.isOurs(uri));
    const preloaded = routes.length > 0 && firstForeign !== 0;
    const foreignHop = firstForeign !== -1;
    const foreignTarget = !this.isOurs(target);
    if (foreignTarget || foreignHop) {
      // Pre-loaded Route to us (RFC 3261 §16.4): we are on the path, not the destination's proxy; only for senders we know.
      // The source is checked here too: the digest-auth service does not see every method (OPTIONS).
      const trusted = digestAuthSettings().trusted.contains(event.source.remoteAddress);
      const known = trusted || aci.get<string>(AuthAttributes.USER) !== undefined;
      if (!preloaded || !known) {
        tx.respond(403, { reason: 'Forbidden - Relaying denied' });
        return;
      }
      if (foreignTarget) {
        tx.proxyTo([target]);
        return;
      }
    }
    const aor = aorOf(target);
    if (aor === undefined || (await this.profiles.findByAddress(SUBSCRIBERS_TABLE, aor)) === undefined) {
      tx.respond(404, { reason: 'Not Found - no such user' });
      return;
    }
    const registered = await this.location.lookup(aor);
    // RFC 5630 §4.1: a sips: request goes on only to contacts reached over TLS.
    const bindings = target.scheme === 'sips' ? registered.filter((b) => reachedOverTls(b.contact)) : registered;
    if (bindings.length === 0) {
      tx.respond(480, { reason: 'Temporarily Unavailable - not registered' });
      return;
    }
    tx.proxyTo(
      bindings.map((b) => ({ uri: b.contact, q: b.q })),
      { recordRoute: true, parallel: false },
    );
  }

  /** OPTIONS to the server itself (no user part) is the stack's to answer with its capabilities. */
  toUser(selector: InitialEventSelector<SipRequestEvent>): InitialEventSelector<SipRequestEvent> {
    selector.initialEvent = selector.event.request.method !== 'OPTIONS' || selector.event.request.uri.user !== undefined;
    return selector;
  }

  private isOurs(uri: SipUri): boolean {
    return uri.isSip && this.sip.isLocal(uri.host, uri.port);
  }
}

function reachedOverTls(contact: string): boolean {
  try {
    const uri = SipUri.parse(contact);
    return uri.scheme === 'sips' || uri.transport?.toLowerCase() === 'tls';
  } catch {
    return false;
  }
}
