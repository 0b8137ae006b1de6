import { createSocket, type RemoteInfo } from 'node:dgram';

interface HostPort {
  host: string;
  port: number;
}

/** A relay listening on 127.0.0.1. */
export interface FloorRelay {
  port: number;
  close(): void;
}

const CRLF = '\r\n';

/** The value of the first header line named exactly `name` (`Via`), searched from the end of the first line. */
function headerValue(text: string, name: string): string | undefined {
  const at = text.indexOf(`${CRLF}${name}: `);
  if (at === -1) return undefined;
  const start = at + name.length + 4;
  return text.slice(start, text.indexOf(CRLF, start));
}

/** The host and port of a SIP URI (`sip:user@host:port;params`), 5060 when it names none. */
function hostPortOf(uri: string): HostPort {
  const afterScheme = uri.slice(uri.indexOf(':') + 1);
  const rest = afterScheme.slice(afterScheme.indexOf('@') + 1);
  const end = rest.search(/[;>?]/);
  const hostPort = end === -1 ? rest : rest.slice(0, end);
  const colon = hostPort.lastIndexOf(':');
  return colon === -1 ? { host: hostPort, port: 5060 } : { host: hostPort.slice(0, colon), port: Number(hostPort.slice(colon + 1)) };
}

function userOf(uri: string): string {
  const afterScheme = uri.slice(uri.indexOf(':') + 1);
  return afterScheme.slice(0, Math.max(0, afterScheme.indexOf('@')));
}

/** Where a response goes: one Via value's sent-by, or its `received` and `rport`. */
function viaTarget(via: string): HostPort {
  const sentBy = via
    .slice(via.indexOf(' ') + 1)
    .split(';')[0]!
    .trim();
  const target = hostPortOf(`sip:${sentBy}`);
  const received = /;received=([^;,]+)/.exec(via);
  const rport = /;rport=(\d+)/.exec(via);
  return { host: received ? received[1]! : target.host, port: rport ? Number(rport[1]) : target.port };
}

/**
 * The least a SIP proxy on Node.js's `dgram` does for the benchmark's call,
 * to be measured beside Kamailio as a floor: a stateless relay that
 * record-routes INVITEs, finds the callee in a `Map` its REGISTER filled,
 * decrements Max-Forwards, adds its Via (a branch derived from the received
 * one, RFC 3261 §16.11) and pops it from responses. It has no validation,
 * no transactions, no retransmission timers, no compact header forms, no
 * TCP, no DNS and no authentication: what it costs a call is what Node.js
 * costs to receive, rewrite and send that call's datagrams on one event
 * loop, which any proxy on `dgram` pays at least. Not a product.
 */
export function startFloorRelay(port: number): Promise<FloorRelay> {
  const socket = createSocket('udp4');
  const bindings = new Map<string, HostPort>();
  let tags = 0;
  let self = '';

  const send = (text: string, to: HostPort) => socket.send(text, to.port, to.host);

  const reply = (request: string, status: string, extra: string[]): string => {
    const lines = [`SIP/2.0 ${status}`];
    for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
      const value = headerValue(request, name);
      if (value === undefined) continue;
      lines.push(`${name}: ${name === 'To' && !value.includes(';tag=') ? `${value};tag=floor${++tags}` : value}`);
    }
    return [...lines, ...extra, 'Content-Length: 0', '', ''].join(CRLF);
  };

  const onRequest = (text: string, rinfo: RemoteInfo): void => {
    const lineEnd = text.indexOf(CRLF);
    const [method, uri] = text.slice(0, lineEnd).split(' ') as [string, string];
    const source = { host: rinfo.address, port: rinfo.port };
    if (method === 'REGISTER') {
      const contact = headerValue(text, 'Contact')!;
      const to = headerValue(text, 'To')!;
      bindings.set(userOf(to.slice(to.indexOf('<') + 1, to.indexOf('>'))), hostPortOf(contact.slice(contact.indexOf('<') + 1, contact.indexOf('>'))));
      send(reply(text, '200 OK', [`Contact: ${contact};expires=3600`]), source);
      return;
    }
    let head = text.slice(lineEnd);
    let target: HostPort;
    let requestUri = uri;
    const route = headerValue(text, 'Route');
    if (route?.startsWith(`<sip:${self};lr>`)) {
      // In the dialog: our Route goes, and the request goes to its Request-URI (the callee's Contact).
      head = head.replace(`${CRLF}Route: ${route}`, route.includes(',') ? `${CRLF}Route: ${route.slice(route.indexOf(',') + 1).trimStart()}` : '');
      target = hostPortOf(uri);
    } else {
      const binding = bindings.get(userOf(uri));
      if (binding === undefined) {
        if (method !== 'ACK') send(reply(text, '404 Not Found', []), source);
        return;
      }
      target = binding;
      requestUri = `sip:${userOf(uri)}@${binding.host}:${binding.port}`;
      if (method === 'INVITE') head = `${CRLF}Record-Route: <sip:${self};lr>${head}`;
    }
    const maxForwards = headerValue(head, 'Max-Forwards');
    if (maxForwards !== undefined) {
      const left = Number(maxForwards) - 1;
      if (!(left >= 0)) {
        if (method !== 'ACK') send(reply(text, '483 Too Many Hops', []), source);
        return;
      }
      head = head.replace(`${CRLF}Max-Forwards: ${maxForwards}`, `${CRLF}Max-Forwards: ${left}`);
    }
    const via = headerValue(head, 'Via')!;
    const branch = /;branch=([^;,]+)/.exec(via)?.[1] ?? `z9hG4bKfloor${++tags}`;
    const stamped = `${CRLF}Via: SIP/2.0/UDP ${self};branch=${branch}.f${CRLF}Via: ${via};received=${rinfo.address};rport=${rinfo.port}`;
    head = head.replace(`${CRLF}Via: ${via}`, stamped);
    send(`${method} ${requestUri} SIP/2.0${head}`, target);
  };

  const onResponse = (text: string): void => {
    const top = headerValue(text, 'Via');
    if (top === undefined || !top.startsWith(`SIP/2.0/UDP ${self};`)) return;
    // Ours is the first value of the top line, which may hold the others too (`Via: ours, theirs`).
    const comma = top.indexOf(',');
    const rest = text.replace(`${CRLF}Via: ${top}`, comma === -1 ? '' : `${CRLF}Via: ${top.slice(comma + 1).trimStart()}`);
    const next = headerValue(rest, 'Via');
    if (next !== undefined) send(rest, viaTarget(next.split(',')[0]!));
  };

  socket.on('message', (data: Buffer, rinfo: RemoteInfo) => {
    const text = data.toString('latin1');
    if (text.startsWith('SIP/2.0 ')) onResponse(text);
    else if (text.includes(CRLF)) onRequest(text, rinfo);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => {
      const bound = socket.address().port;
      self = `127.0.0.1:${bound}`;
      resolve({ port: bound, close: () => socket.close() });
    });
  });
}
