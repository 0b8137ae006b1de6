import type { WireMessage } from '../../../resource-adaptors/sip/transport/index.js';

/** Which messages a trace keeps: all, those of one user (From or To), or those of one Call-ID. */
export type TraceScope = { kind: 'all' } | { kind: 'user'; user: string } | { kind: 'call'; callId: string };

/**
 * Whether a message is in scope. A user matches the user part of the From
 * or To URI (`bob`), or the whole address (`sip:bob@example.com`). Bytes
 * re-sent without a parsed message are read with a regular expression.
 */
export function inScope(scope: TraceScope, wire: WireMessage): boolean {
  if (scope.kind === 'all') return true;
  const text = wire.message === undefined ? wire.bytes.toString('latin1') : null;
  if (scope.kind === 'call') return (text === null ? safe(() => wire.message!.callId) : header(text, /^(?:Call-ID|i)[ \t]*:[ \t]*(.*)$/im)) === scope.callId;
  const parties =
    text === null
      ? [safe(() => wire.message!.from.uri.toString()), safe(() => wire.message!.to.uri.toString())]
      : [header(text, /^(?:From|f)[ \t]*:(.*)$/im), header(text, /^(?:To|t)[ \t]*:(.*)$/im)];
  const user = scope.user.toLowerCase();
  const wanted = user.includes(':') ? user : null;
  return parties.some((party) => {
    const uri = party?.toLowerCase() ?? '';
    if (wanted !== null) return uri.includes(wanted);
    return new RegExp(`^(?:.*<)?sips?:${escape(user)}@`).test(uri.trim());
  });
}

function header(text: string, pattern: RegExp): string | undefined {
  return pattern.exec(text.slice(0, text.indexOf('\r\n\r\n') + 1 || undefined))?.[1]?.trim();
}

function safe(read: () => string): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
