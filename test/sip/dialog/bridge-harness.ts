import { B2buaBridge, type BridgeOptions } from '../../../resource-adaptors/sip/b2bua/index.js';
import type { SipRequest, SipResponse } from '../../../resource-adaptors/sip/message/index.js';
import { answer, incoming, stackHarness, type IncomingSpec } from './stack-harness.js';

export const CALLER_CALL_ID = 'c1@127.0.0.2';
export const BOB = 'sip:bob@127.0.0.9:5080';
export const CAROL = 'sip:carol@127.0.0.10:5080';
export const OFFER = 'v=0\r\no=caller 1 1 IN IP4 127.0.0.2\r\n';
export const ANSWER = 'v=0\r\no=callee 1 1 IN IP4 127.0.0.9\r\n';
const SDP = 'application/sdp';

/** A message with an SDP body, as a peer would send it. */
export function withSdp<T extends SipRequest | SipResponse>(message: T, sdp: string): T {
  message.body = Buffer.from(sdp);
  message.set('Content-Type', SDP);
  return message;
}

/**
 * A SipStack that bridges every INVITE it gets with a B2buaBridge to
 * `options.targets` (Bob by default). The caller is the harness peer
 * (Call-ID c1@127.0.0.2); outbound legs are the INVITEs with other
 * Call-IDs. `events` records what the bridge reported, in order.
 */
export function bridgeHarness(options: Partial<BridgeOptions> = {}, invite: { sdp?: string; extra?: string } = { sdp: OFFER }) {
  const h = stackHarness();
  const events: string[] = [];
  let bridge: B2buaBridge | undefined;
  h.stack.setRequestHandler((request, tx) => {
    if (request.method !== 'INVITE') return false;
    bridge = new B2buaBridge(h.stack, tx, { targets: [BOB], ...options }, (e) => h.errors.push(e));
    bridge.on('answered', (r) => events.push(`answered ${r.status}`));
    bridge.on('failed', (status) => events.push(`failed ${status}`));
    bridge.on('ended', (end) => events.push(`ended ${end.by} ${end.reason}`));
    bridge.start();
    return true;
  });
  const first = incoming(invite.extra === undefined ? {} : { extra: invite.extra });
  h.transport.inject(invite.sdp === undefined ? first : withSdp(first, invite.sdp));
  const t = h.transport;
  /** Outbound INVITEs (initial and re-INVITEs) to the callee, by target user. */
  const outbound = (user = 'bob'): SipRequest[] => t.requests('INVITE').filter((r) => r.callId !== CALLER_CALL_ID && r.to.uri.user === user);
  /** What went to the caller: responses on its Call-ID. */
  const toCaller = (method = 'INVITE'): SipResponse[] => t.responses().filter((r) => r.callId === CALLER_CALL_ID && r.cseq.method === method);
  /** Requests sent on the caller's leg (re-INVITE, BYE, INFO...). */
  const callerRequests = (method: string): SipRequest[] => t.requests(method).filter((r) => r.callId === CALLER_CALL_ID);
  /** Requests sent on the callee's legs. */
  const calleeRequests = (method: string): SipRequest[] => t.requests(method).filter((r) => r.callId !== CALLER_CALL_ID);
  /** The callee answers an outbound INVITE (tag b1 unless said), with its Contact. */
  const calleeAnswers = (request: SipRequest, status: number, sdp?: string, tag = 'b1', extra: Record<string, string> = {}): void => {
    const response = answer(request, status, tag, { Contact: `<${request.uri.toString()}>`, ...extra });
    t.inject(sdp === undefined ? response : withSdp(response, sdp));
  };
  /** The caller sends an in-dialog request (the To tag is ours from the 2xx or 1xx it got). */
  const callerSends = (spec: IncomingSpec, sdp?: string): void => {
    const toTag = toCaller().find((r) => r.status > 100)!.to.tag!;
    const request = incoming({ toTag, ...spec });
    t.inject(sdp === undefined ? request : withSdp(request, sdp));
  };
  /** The callee (tag b1) sends an in-dialog request on the leg an outbound INVITE created. */
  const calleeSends = (leg: SipRequest, spec: IncomingSpec, sdp?: string): void => {
    const request = incoming({ callId: leg.callId, fromTag: 'b1', toTag: leg.from.tag!, uri: 'sip:alice@127.0.0.1:5060', ...spec });
    t.inject(sdp === undefined ? request : withSdp(request, sdp));
  };
  /** Everything ends: transactions and timers drain, no dialog is left. */
  const drained = (): { dialogs: number; server: number; client: number; timers: number } => {
    h.clock.advance(64_000);
    const stats = h.stack.transactions.stats;
    return { dialogs: h.stack.dialogs.size, server: stats.serverTransactions, client: stats.clientTransactions, timers: h.clock.pending };
  };
  return { ...h, bridge: () => bridge!, events, outbound, toCaller, callerRequests, calleeRequests, calleeAnswers, callerSends, calleeSends, drained };
}

export const CLEAN = { dialogs: 0, server: 0, client: 0, timers: 0 };
