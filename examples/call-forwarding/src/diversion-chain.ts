import { NameAddr, SipUri, uriAddress, type SipRequest } from 'sleet/sip';

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
        addresses.add(uriAddress(entry.uri));
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
    const address = addressOfTarget(target);
    if (address === callee || this.addresses.has(address)) return 'loop';
    if (this.count + 1 > MAX_DIVERSIONS) return 'limit';
    return undefined;
  }
}

/** The Diversion value a forward by `callee` adds (RFC 5806 §4). */
export function diversionHeader(callee: string, reason: DiversionReason): string {
  return `<${callee}>;reason=${reason};counter=1`;
}

/** A provisioned target as the chain's addresses are written: `sip:Bob@Example.COM:5060` is `sip:Bob@example.com`. */
function addressOfTarget(target: string): string {
  try {
    return uriAddress(SipUri.parse(target));
  } catch {
    return target;
  }
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
