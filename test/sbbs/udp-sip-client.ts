import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { parseMessage, type SipResponse } from '../../resource-adaptors/sip/message/index.js';
import { parseDigestCredentials } from '../../sbbs/digest-auth/parse-digest-credentials.js';
import { digestResponse } from '../../sbbs/digest-auth/digest-response.js';
import type { DigestAlgorithm } from '../../sbbs/digest-auth/digest-algorithm.js';

export interface RegisterOptions {
  user: string;
  domain: string;
  contacts: string[];
  expires?: number;
  callId?: string;
  password?: string;
  /** The digest username, when not the AOR's user (third-party registration). */
  authUser?: string;
  algorithm?: DigestAlgorithm;
}

/** A bare UDP user agent on 127.0.0.1 sending REGISTERs (answering digest challenges) to a Sleet under test. */
export class UdpSipClient {
  private cseq = 0;
  readonly callId = randomBytes(8).toString('hex');

  private constructor(
    private readonly socket: Socket,
    private readonly server: number,
  ) {}

  static async open(serverPort: number): Promise<UdpSipClient> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new UdpSipClient(socket, serverPort);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Sends a REGISTER; a 401 is answered once with the password (when given). */
  async register(o: RegisterOptions, cseq?: number): Promise<SipResponse> {
    const first = await this.send(this.registerText(o, cseq ?? ++this.cseq, []));
    if (first.status !== 401 || o.password === undefined) return first;
    const offered = first.getAll('WWW-Authenticate').map(parseDigestCredentials);
    // Without a choice, the strongest offered: SHA-256 when challenged with it, else MD5.
    const algorithm = o.algorithm ?? (offered.some((p) => p?.get('algorithm') === 'SHA-256') ? 'SHA-256' : 'MD5');
    const challenge = offered.find((p) => p?.get('algorithm') === algorithm);
    if (!challenge) throw new Error(`no ${algorithm} challenge in ${first.getAll('WWW-Authenticate').join(' | ')}`);
    const realm = challenge.get('realm')!;
    const nonce = challenge.get('nonce')!;
    const uri = `sip:${o.domain}`;
    const username = o.authUser ?? o.user;
    const response = digestResponse({
      algorithm,
      username,
      realm,
      password: o.password,
      method: 'REGISTER',
      uri,
      nonce,
      qop: 'auth',
      nc: '00000001',
      cnonce: 'c0ffee',
    });
    const auth = `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=${algorithm}, qop=auth, nc=00000001, cnonce="c0ffee"`;
    return this.send(this.registerText(o, cseq === undefined ? ++this.cseq : cseq + 1, [`Authorization: ${auth}`]));
  }

  /** The text of a REGISTER with extra header lines (e.g. a prepared `Authorization`). */
  registerText(o: RegisterOptions, cseq: number, extra: string[]): string {
    const lines = [
      `REGISTER sip:${o.domain} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
      `From: <sip:${o.user}@${o.domain}>;tag=${randomBytes(4).toString('hex')}`,
      `To: <sip:${o.user}@${o.domain}>`,
      `Call-ID: ${o.callId ?? this.callId}`,
      `CSeq: ${cseq} REGISTER`,
      'Max-Forwards: 70',
      ...o.contacts.map((c) => `Contact: ${c}`),
      ...(o.expires === undefined ? [] : [`Expires: ${o.expires}`]),
      ...extra,
      'Content-Length: 0',
    ];
    return `${lines.join('\r\n')}\r\n\r\n`;
  }

  /** Sends one request and resolves with its final response (1xx skipped). */
  send(text: string): Promise<SipResponse> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.off('message', onMessage);
        reject(new Error('no final response within 5 s'));
      }, 5000);
      const onMessage = (data: Buffer) => {
        const message = parseMessage(data) as SipResponse;
        if (message.status < 200) return;
        clearTimeout(timer);
        this.socket.off('message', onMessage);
        resolve(message);
      };
      this.socket.on('message', onMessage);
      this.socket.send(text, this.server, '127.0.0.1');
    });
  }

  /** Sends a request that gets no response (an ACK). */
  post(text: string): void {
    this.socket.send(text, this.server, '127.0.0.1');
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
