import { WebSocket } from 'ws';
import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  type Session,
  type SessionDescriptionHandler,
  type SessionDescriptionHandlerFactory,
} from 'sip.js';

// SIP.js opens its transport with the global WebSocket, as in a browser; in Node that is `ws`'s.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

/** A fixed SDP offer and answer: the interop tests are about signalling, so no media stack takes part. */
const CANNED_SDP = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join(
  '\r\n',
);

/** A SessionDescriptionHandler that answers every offer, and offers, with CANNED_SDP. */
const cannedSdh: SessionDescriptionHandlerFactory = (): SessionDescriptionHandler => {
  const received: string[] = [];
  return {
    close: () => undefined,
    getDescription: async () => ({ body: CANNED_SDP, contentType: 'application/sdp' }),
    hasDescription: (contentType) => contentType === 'application/sdp',
    setDescription: async (sdp) => {
      received.push(sdp);
    },
    sendDtmf: () => false,
  };
};

export interface SipJsUser {
  ua: UserAgent;
  registerer: Registerer;
  /** Calls that reached this user, in order. */
  invitations: Invitation[];
  /** Every SIP message SIP.js logged as sent or received, for failure messages. */
  trace: string[];
  stop(): Promise<void>;
}

/**
 * A SIP.js user agent for `user@domain` over `server`, started and
 * registered with digest credentials; with `instanceId`, as an RFC 5626
 * outbound client (`+sip.instance` and `reg-id=1`; SIP.js always says
 * `Supported: outbound` and puts `;ob` in its Contact).
 */
export async function registeredSipJsUser(options: {
  server: string;
  user: string;
  domain: string;
  password: string;
  answer?: boolean;
  instanceId?: string;
}): Promise<SipJsUser> {
  const trace: string[] = [];
  const invitations: Invitation[] = [];
  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${options.user}@${options.domain}`)!,
    transportOptions: { server: options.server, traceSip: true },
    authorizationUsername: options.user,
    authorizationPassword: options.password,
    sessionDescriptionHandlerFactory: cannedSdh,
    logBuiltinEnabled: false,
    logLevel: 'debug',
    logConfiguration: false,
    logConnector: (level, category, _label, content) => {
      if (category.toLowerCase().endsWith('transport')) trace.push(content);
      else if (level !== 'debug') trace.push(`${category}: ${content}`);
    },
    delegate: {
      onInvite: (invitation) => {
        invitations.push(invitation);
        if (options.answer !== false) void invitation.accept();
      },
    },
  });
  await ua.start();
  const registerer = new Registerer(ua, { expires: 300, ...(options.instanceId === undefined ? {} : { regId: 1, instanceId: options.instanceId }) });
  const registered = new Promise<void>((resolve, reject) => {
    registerer.stateChange.addListener((state) => {
      if (state === RegistererState.Registered) resolve();
      if (state === RegistererState.Terminated) reject(new Error(`${options.user} not registered:\n${trace.join('\n')}`));
    });
  });
  await registerer.register({ requestDelegate: { onReject: (response) => trace.push(`rejected: ${response.message.statusCode}`) } });
  await withTimeout(registered, 5000, () => `${options.user} not registered in time:\n${trace.join('\n')}`);
  return {
    ua,
    registerer,
    invitations,
    trace,
    async stop() {
      await registerer.unregister().catch(() => undefined);
      await ua.stop();
    },
  };
}

/** Calls `target` and resolves once the session is Established (or rejects with the trace when it ends first). */
export async function call(user: SipJsUser, target: string): Promise<Inviter> {
  const inviter = new Inviter(user.ua, UserAgent.makeURI(target)!);
  const established = sessionReaches(inviter, SessionState.Established, user.trace);
  await inviter.invite();
  await established;
  return inviter;
}

/** Resolves when the session reaches `state`; rejects if it terminates first (unless Terminated is what is awaited). */
export function sessionReaches(session: Session, state: SessionState, trace: string[], timeoutMs = 8000): Promise<void> {
  const reached = new Promise<void>((resolve, reject) => {
    if (session.state === state) resolve();
    session.stateChange.addListener((now) => {
      if (now === state) resolve();
      else if (now === SessionState.Terminated) reject(new Error(`session ended before ${state}:\n${trace.join('\n')}`));
    });
  });
  return withTimeout(reached, timeoutMs, () => `session not ${state} in time:\n${trace.join('\n')}`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what())), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
