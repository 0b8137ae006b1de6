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
import type { Binding } from '../location/binding.js';
import { bindingKey } from '../location/binding-key.js';
import { registrationName } from '../location/registration-name.js';
import { REGISTRATIONS_TABLE } from '../location/registration-profile.js';
import type { ProxyTarget } from '../../resource-adaptors/sip/proxy/proxy-target.js';
import { AuthAttributes } from '../digest-auth/auth-attributes.js';
import { digestAuthSettings } from '../digest-auth/digest-auth-settings.js';

/**
 * The routing proxy (priority 10, after auth, screening and forwarding):
 * requests for users of our domains go to their registered contacts, q-value
 * groups one after the other (equal q in parallel), record-routed so the
 * dialog's ACK and BYE come back through us, along each binding's Path,
 * over an outbound client's flow (RFC 5626). Unknown user: 404; not
 * registered: 480; every flow failed: 430. No open relay: a Request-URI in someone else's domain,
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
    const targets = await this.targetsOf(aor, bindings);
    if (targets.length === 0) {
      // RFC 5626 §5.3: every binding was a flow that has failed; the client must register again over a new one.
      tx.respond(430, { reason: 'Flow Failed' });
      return;
    }
    tx.proxyTo(targets, { recordRoute: true, parallel: false });
  }

  /**
   * One target per binding, reached along its Path (RFC 3327). An outbound
   * client (RFC 5626 §5.2) gets one request per instance, over the most
   * recently registered of its flows still open; the bindings of flows
   * that have failed are removed, so the next request finds them gone.
   */
  private async targetsOf(aor: string, bindings: Binding[]): Promise<ProxyTarget[]> {
    const targets: ProxyTarget[] = [];
    const byInstance = new Map<string, { target: ProxyTarget; expiresAt: number }>();
    for (const b of bindings) {
      const path = b.path ?? [];
      const flow = path[0] === undefined ? undefined : this.sip.flowTarget(path[0]);
      if (flow === 'failed') {
        await this.profiles.remove(REGISTRATIONS_TABLE, registrationName(aor, bindingKey(b)));
        continue;
      }
      const target: ProxyTarget = { uri: b.contact, q: b.q };
      if (flow !== undefined) target.via = flow;
      const routes = flow === undefined ? path : path.slice(1);
      if (routes.length > 0) target.routes = routes;
      if (b.instance === undefined) {
        targets.push(target);
        continue;
      }
      const chosen = byInstance.get(b.instance);
      if (chosen === undefined) targets.push(target);
      else if (chosen.expiresAt < b.expiresAt) targets[targets.indexOf(chosen.target)] = target;
      else continue;
      byInstance.set(b.instance, { target, expiresAt: b.expiresAt });
    }
    return targets;
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
