// A stateful SIP proxy with an in-memory registrar, on the stack alone (no SLEE):
//   node dist/resource-adaptors/sip/examples/standalone-proxy.js [port] [domain]
import { SipStack, buildResponse, generateTag, type SipUri } from 'sleet/sip-stack';

const [port = '5060', domain = 'example.test'] = process.argv.slice(2);
const bindings = new Map<string, SipUri>(); // user@domain → where that user registered

const stack = new SipStack({
  listen: [{ transport: 'UDP', host: '127.0.0.1', port: Number(port) }],
  domains: [domain],
  role: 'proxy',
  onRequest(request, tx) {
    const reply = (status: number) => tx.respond(buildResponse(request, status, { toTag: generateTag() }));
    if (request.method === 'REGISTER') {
      const aor = `${request.to.uri.user}@${request.to.uri.host}`;
      const contact = request.contacts[0];
      if (request.expires === 0) bindings.delete(aor);
      else if (contact !== undefined) bindings.set(aor, contact.uri);
      reply(200);
      return true;
    }
    const target = bindings.get(`${request.uri.user}@${request.uri.host}`);
    if (target === undefined) reply(404);
    else stack.proxy.proxyTo(tx, [{ uri: target }]); // forks, Record-Routes, relays CANCEL, ACK and BYE
    return true;
  },
});

const [point] = await stack.start();
console.log(`proxy for ${domain} listening on udp:${point!.address}:${point!.port}`);
process.once('SIGTERM', () => void stack.close());
process.once('SIGINT', () => void stack.close());
