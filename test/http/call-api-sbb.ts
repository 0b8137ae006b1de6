import { z } from 'zod';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { RaLink } from '../../slee/component-model/ra-link.decorator.js';
import { ActivityContextInterfaceFactory } from '../../slee/activity/activity-context-interface-factory.js';
import type { HttpProvider } from '../../resource-adaptors/http/http-provider.js';
import type { HttpClientErrorEvent, HttpRequestEvent, HttpResponseEvent } from '../../resource-adaptors/http/http-events.js';

const NewCall = z.object({ caller: z.string().startsWith('sip:'), callee: z.string().startsWith('sip:') });

/** Registers the routes the call API serves. */
export function registerCallRoutes(http: HttpProvider): void {
  http.route('GET', '/calls/:id');
  http.route('POST', '/calls', { body: NewCall });
  http.route('GET', '/boom');
  http.route('GET', '/slow');
  http.route('GET', '/ignored');
  http.route('GET', '/unsendable');
  http.route('POST', '/webhooks');
}

/** Lets a test hold a handler until it says so. */
export const slowGate = { release: () => {} };
/** Results of the webhooks the SBB sent. */
export const webhookResults: Array<HttpResponseEvent | HttpClientErrorEvent> = [];

/** A click-to-dial style REST API answered by SBBs, plus a webhook sender. */
@Service({ name: 'CallApi' })
@Sbb({ name: 'CallApiSbb' })
export class CallApiSbb {
  constructor(
    @RaLink('http') private readonly http: HttpProvider,
    private readonly acif: ActivityContextInterfaceFactory,
  ) {}

  @InitialEvent()
  async onHttpGet({ request }: HttpRequestEvent) {
    switch (request.route) {
      case '/calls/:id':
        return this.http.respond(request, 200, { id: request.params.id, query: request.query });
      case '/boom':
        throw new Error('the call database is on fire');
      case '/unsendable':
        return this.http.respond(request, 200, { big: 1n });
      case '/slow':
        await new Promise<void>((resolve) => (slowGate.release = resolve));
        return this.http.respond(request, 200, 'too late');
      default:
        return undefined;
    }
  }

  @InitialEvent()
  onHttpPost({ request }: HttpRequestEvent) {
    if (request.route === '/calls') return this.http.respond(request, 201, { accepted: request.body }, { location: '/calls/1' });
    const { target } = request.body as { target: string };
    const webhook = this.http.request({ method: 'POST', url: target, body: { event: 'call-answered' }, timeoutMs: 2000 });
    this.acif.getActivityContextInterface(webhook).attach();
    return this.http.respond(request, 202);
  }

  onHttpResponse(event: HttpResponseEvent) {
    webhookResults.push(event);
  }

  onHttpClientError(event: HttpClientErrorEvent) {
    webhookResults.push(event);
  }
}
