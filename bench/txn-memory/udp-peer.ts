import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Peer } from './wire-messages.js';

/** A bare UDP socket on loopback: the benchmark's stateless caller and callee, which hold no SIP state of their own. */
export class UdpPeer {
  private constructor(
    private readonly socket: Socket,
    readonly address: Peer,
  ) {}

  static async open(onMessage: (data: Buffer, from: RemoteInfo) => void): Promise<UdpPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    socket.setRecvBufferSize(4 * 1024 * 1024);
    socket.on('message', onMessage);
    return new UdpPeer(socket, { host: '127.0.0.1', port: socket.address().port });
  }

  send(text: string, to: Peer): void {
    this.socket.send(text, to.port, to.host);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
