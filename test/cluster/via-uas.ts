import { createSocket, type Socket } from 'node:dgram';

/**
 * A callee that answers every call: 180 and 200 to an INVITE (with its
 * Record-Route copied, RFC 3261 §12.1.1) and 200 to a BYE, each response
 * sent where its request came from (§18.2.2). SIPp's UAS sends every
 * message of a call to the address the call's first message came from, so
 * it cannot answer a BYE that another node of the cluster relays; this one can.
 */
export class ViaUas {
  readonly byes = new Set<string>();
  private constructor(
    private readonly socket: Socket,
    readonly port: number,
    private readonly ringAfterAnswer: boolean,
  ) {}

  /** `ringAfterAnswer` sends the 180 after the 200, as a proxy with several UDP workers may pass them on. */
  static async start(options: { ringAfterAnswer?: boolean } = {}): Promise<ViaUas> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const uas = new ViaUas(socket, socket.address().port, options.ringAfterAnswer === true);
    socket.on('message', (data, from) => uas.onMessage(data.toString(), from.address, from.port));
    return uas;
  }

  private onMessage(text: string, address: string, port: number): void {
    const [requestLine, ...lines] = text.split('\r\n');
    const method = requestLine!.split(' ')[0]!;
    if (method === 'ACK' || requestLine!.startsWith('SIP/2.0')) return;
    const all = (name: string) => lines.filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    const one = (name: string) => all(name)[0] ?? '';
    const callId = one('Call-ID').slice('Call-ID:'.length).trim();
    const to = one('To').includes('tag=') ? one('To') : `${one('To')};tag=uas-${callId.replace(/[^A-Za-z0-9]/g, '').slice(0, 16)}`;
    const respond = (status: string, extra: string[] = []) => {
      const response = ['SIP/2.0 ' + status, ...all('Via'), one('From'), to, one('Call-ID'), one('CSeq'), ...extra, 'Content-Length: 0', '', ''].join('\r\n');
      this.socket.send(response, port, address);
    };
    if (method === 'INVITE') {
      const contact = `Contact: <sip:uas@127.0.0.1:${this.port}>`;
      const ringing = () => respond('180 Ringing', [...all('Record-Route'), contact]);
      if (!this.ringAfterAnswer) ringing();
      respond('200 OK', [...all('Record-Route'), contact]);
      if (this.ringAfterAnswer) setTimeout(ringing, 50);
    } else {
      if (method === 'BYE') this.byes.add(callId);
      respond('200 OK');
    }
  }

  close(): void {
    this.socket.close();
  }
}
