import { createSocket } from 'node:dgram';

/** Sends one datagram and returns the status line and headers of the first response. */
export async function exchange(port: number, request: string): Promise<string> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const local = socket.address().port;
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no response')), 3000);
      socket.on('message', (data) => {
        const text = data.toString('latin1');
        if (/^SIP\/2\.0 1\d\d /.test(text)) return;
        clearTimeout(timer);
        resolve(text);
      });
      socket.send(Buffer.from(request.replaceAll('{local}', String(local)).replace(/\n/g, '\r\n')), port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

export function request(method: string, uri: string, extra = ''): string {
  const branch = `z9hG4bK${Math.random().toString(36).slice(2)}`;
  return `${method} ${uri} SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:{local};branch=${branch}
Max-Forwards: 70
From: <sip:tester@127.0.0.1>;tag=t1
To: <sip:nobody@127.0.0.1>
Call-ID: ${branch}@127.0.0.1
CSeq: 1 ${method}
${extra}Content-Length: 0

`;
}
