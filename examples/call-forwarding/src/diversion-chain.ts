import { NameAddr, type SipRequest } from 'sleet/sip';

/** RFC 5806 reasons for the forwarding cases. */
export type DiversionReason = 'unconditional' | 'user-busy' | 'no-answer' | 'unavailable';

/** Forwards allowed per call, counted over every Diversion header (RFC 5806 `counter`). */
export const MAX_DIVERSIONS = 5;

/**
 * The forwards a request went through, from its Diversion headers: how many
 * (the sum of their counters) and which addresses diverted it, so a forward
 * can be refused when it would exceed the limit or go back into the chain.
 */
export class DiversionChain {
  private constructor(
    readonly count: number,
    readonly addresses: ReadonlySet<string>,
  ) {}

  static of(request: SipRequest): DiversionChain {
    let count = 0;
    const addresses = new Set<string>();
    for (const value of request.getAll('Diversion').flatMap(splitHeaderList)) {
      try {
        const entry = NameAddr.parse(value);
        addresses.add(addressOf(entry));
        const counter = Number(entry.params.get('counter') ?? '1');
        count += Number.isInteger(counter) && counter > 0 ? counter : 1;
      } catch {
        count += 1;
      }
    }
    return new DiversionChain(count, addresses);
  }

  /** Why forwarding from `callee` to `target` must not happen, or undefined when it may. */
  refusal(callee: string, target: string): 'loop' | 'limit' | undefined {
    if (target === callee || this.addresses.has(target)) return 'loop';
    if (this.count + 1 > MAX_DIVERSIONS) return 'limit';
    return undefined;
  }
}

/** The Diversion value a forward by `callee` adds (RFC 5806 §4). */
export function diversionHeader(callee: string, reason: DiversionReason): string {
  return `<${callee}>;reason=${reason};counter=1`;
}

/** `scheme:user@host` with the host lower-cased, as addresses of record are compared. */
export function addressOf(addr: NameAddr): string {
  const uri = addr.uri;
  if (!uri.isSip) return uri.toString();
  const host = uri.host.toLowerCase();
  return uri.user === undefined ? `${uri.scheme}:${host}` : `${uri.scheme}:${uri.user}@${host}`;
}

/** Splits a comma-separated header value, leaving commas inside <…> and quotes alone. */
function splitHeaderList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>') depth--;
    else if (!quoted && depth === 0 && c === ',') {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}
