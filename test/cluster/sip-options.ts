import { createSocket } from 'node:dgram';
import { randomUUID } from 'node:crypto';

export interface SipAnswer {
  status: number;
  headers: Map<string, string>;
}

/** Sends one request over UDP from an ephemeral port and resolves with the first final answer's status and headers. */
export function sendSipRequest(port: number, method: string, uri: string, headers: Record<string, string>, timeoutMs = 3000): Promise<SipAnswer> {
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no final answer to ${method} from 127.0.0.1:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('message', (data) => {
      const [statusLine, ...lines] = data.toString().split('\r\n');
      const status = Number(statusLine!.split(' ')[1]);
      if (status < 200) return;
      clearTimeout(timer);
      socket.close();
      const parsed = new Map<string, string>();
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) parsed.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      resolve({ status, headers: parsed });
    });
    socket.bind(0, '127.0.0.1', () => {
      const local = socket.address().port;
      const all: Record<string, string> = {
        Via: `SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${randomUUID().slice(0, 12)};rport`,
        'Max-Forwards': '70',
        From: `<sip:probe@127.0.0.1:${local}>`,
        To: `<${uri}>`,
        'Call-ID': randomUUID(),
        CSeq: `1 ${method}`,
        ...headers,
      };
      all.From = `${all.From};tag=${randomUUID().slice(0, 8)}`;
      const message = [`${method} ${uri} SIP/2.0`, ...Object.entries(all).map(([name, value]) => `${name}: ${value}`), 'Content-Length: 0', '', ''].join(
        '\r\n',
      );
      socket.send(message, port, '127.0.0.1');
    });
  });
}

/** One OPTIONS to the server itself, as a dispatcher's probe. */
export function sendOptions(port: number): Promise<SipAnswer> {
  return sendSipRequest(port, 'OPTIONS', `sip:127.0.0.1:${port}`, {});
}
