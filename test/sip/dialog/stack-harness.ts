import { FakeClock } from '../../../base/clock/fake-clock.js';
import { parseMessage, SipResponse, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { SipStack, type SipStackOptions } from '../../../resource-adaptors/sip/stack/index.js';
import { FakeTransport } from '../transaction/fake-transport.js';

export { flush } from '../transaction/fake-transport.js';

/** A SipStack over an in-memory transport and a fake clock, addressed as 127.0.0.1:5060. */
export function stackHarness(options: SipStackOptions = {}): { stack: SipStack; transport: FakeTransport; clock: FakeClock; errors: unknown[] } {
  const clock = new FakeClock();
  const transport = new FakeTransport(() => clock.now());
  const errors: unknown[] = [];
  const stack = new SipStack({ transport, clock, localAddress: { host: '127.0.0.1', port: 5060 }, onError: (e) => errors.push(e), ...options });
  return { stack, transport, clock, errors };
}

function parse<T extends SipRequest | SipResponse>(text: string): T {
  return parseMessage(Buffer.from(text.replace(/\n/g, '\r\n'))) as T;
}

export interface IncomingSpec {
  method?: string;
  uri?: string;
  branch?: string;
  cseq?: number;
  fromTag?: string;
  toTag?: string;
  callId?: string;
  extra?: string;
}

/** A request as a peer at 127.0.0.2:5070 sends it to us. */
export function incoming(spec: IncomingSpec = {}): SipRequest {
  const method = spec.method ?? 'INVITE';
  return parse<SipRequest>(
    `${method} ${spec.uri ?? 'sip:bob@127.0.0.1:5060'} SIP/2.0\n` +
      `Via: SIP/2.0/UDP 127.0.0.2:5070;branch=${spec.branch ?? 'z9hG4bKin1'}\n` +
      `Max-Forwards: 70\n` +
      `From: <sip:alice@127.0.0.2>;tag=${spec.fromTag ?? 'alice1'}\n` +
      `To: <sip:bob@127.0.0.1>${spec.toTag === undefined ? '' : `;tag=${spec.toTag}`}\n` +
      `Call-ID: ${spec.callId ?? 'c1@127.0.0.2'}\n` +
      `CSeq: ${spec.cseq ?? 1} ${method}\n` +
      `Contact: <sip:alice@127.0.0.2:5070>\n` +
      (spec.extra ?? '') +
      `Content-Length: 0\n\n`,
  );
}

/** A response to a request we sent, as the peer would build it, re-parsed so it is a fresh object. */
export function answer(request: SipRequest, status: number, toTag?: string, extra: Record<string, string | string[]> = {}): SipResponse {
  const response = SipResponse.fromRequest(request, status, undefined, toTag);
  for (const [name, value] of Object.entries(extra)) response.set(name, value);
  return parseMessage(response.toBuffer()) as SipResponse;
}
