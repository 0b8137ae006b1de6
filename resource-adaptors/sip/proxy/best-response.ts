import type { SipResponse } from '../message/index.js';

/**
 * RFC 3261 §16.7 step 6: the response a forking proxy sends upstream once
 * every branch has a final non-2xx answer. A 6xx wins, otherwise the lowest
 * class (the first branch in target order within it); 503 becomes 500 (the upstream must not
 * think *we* are overloaded); with a 401/407 chosen, the challenges of
 * every 401/407 are gathered into it (§16.7 step 7). Undefined when there
 * is no final response at all (the caller answers 408 then).
 */
export function selectBestResponse(responses: SipResponse[]): SipResponse | undefined {
  const finals = responses.filter((r) => r.status >= 300);
  if (finals.length === 0) return undefined;
  let best = finals.find((r) => r.status >= 600);
  if (best === undefined) {
    best = finals[0]!;
    for (const r of finals) if (Math.floor(r.status / 100) < Math.floor(best.status / 100)) best = r;
  }
  const chosen = best.clone();
  if (chosen.status === 503) {
    chosen.status = 500;
    chosen.reason = 'Server Internal Error';
  }
  if (chosen.status === 401 || chosen.status === 407) {
    for (const name of ['WWW-Authenticate', 'Proxy-Authenticate']) {
      const all = finals.filter((r) => r.status === 401 || r.status === 407).flatMap((r) => r.getAll(name));
      if (all.length > 0) chosen.set(name, all);
    }
  }
  return chosen;
}
