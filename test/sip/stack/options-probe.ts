import { createSocket } from 'node:dgram';
import { connect } from 'node:net';

/** An OPTIONS over UDP; resolves with the final status. */
export async function optionsOverUdp(port: number, branch: string): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer to OPTIONS over UDP')), 5000);
      socket.on('message', (m) => {
        clearTimeout(timer);
        resolve(Number(m.toString('latin1').slice(8, 11)));
      });
      socket.send(optionsText(socket.address().port, branch, 'UDP'), port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

/** An OPTIONS over a fresh TCP connection; resolves with the final status. */
export async function optionsOverTcp(port: number, branch: string): Promise<number> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  try {
    await new Promise<void>((r) => socket.once('connect', () => r()));
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer to OPTIONS over TCP')), 5000);
      socket.once('data', (m) => {
        clearTimeout(timer);
        resolve(Number(m.toString('latin1').slice(8, 11)));
      });
      socket.write(optionsText(socket.localPort!, branch, 'TCP'));
    });
  } finally {
    socket.destroy();
  }
}

function optionsText(port: number, branch: string, transport: string): string {
  return (
    `OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/${transport} 127.0.0.1:${port};branch=z9hG4bK${branch}\r\nMax-Forwards: 70\r\n` +
    `From: <sip:fuzz@127.0.0.1>;tag=f\r\nTo: <sip:127.0.0.1>\r\nCall-ID: ${branch}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`
  );
}
