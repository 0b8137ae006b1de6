import type { SystemStep } from './system-step.js';

/** One proxy's step-up: the highest offered rate served with no failed call, and every step it ran. */
export interface CeilingRun {
  ceiling: number;
  steps: SystemStep[];
}

function ratio(measured: number, reference: number): number | string {
  return reference > 0 ? Math.round((measured / reference) * 100) / 100 : 'n/a';
}

/** A proxy's CPU per call as user + system ms. */
function split(step: SystemStep | undefined): string {
  return step === undefined ? 'n/a' : `${step.proxyUserMsPerCall}+${step.proxySystemMsPerCall}`;
}

/**
 * The Node.js floor's columns (`floor-relay.ts`): its CPU per call, and what
 * Kamailio's and Sleet's are against it, so the gap splits into what Node.js
 * costs and what Sleet adds.
 */
function floorColumns(floor: SystemStep, kamailio: SystemStep, sleet: SystemStep): Record<string, string | number> {
  return {
    'Floor calls/s': floor.achieved,
    'Floor failed': floor.failed,
    'Floor CPU ms/call': floor.proxyMsPerCall,
    'Floor/Kamailio': ratio(floor.proxyMsPerCall, kamailio.proxyMsPerCall),
    'Sleet/Floor': ratio(sleet.proxyMsPerCall, floor.proxyMsPerCall),
  };
}

function pair(kamailio: number | string | undefined, sleet: number | string | undefined): string {
  return `${kamailio ?? 'n/a'} / ${sleet ?? 'n/a'}`;
}

/**
 * The side-by-side table: one row per offered rate (CPU ratio Sleet/Kamailio,
 * lower is better) and one for the ceilings (ratio of ceilings, higher is
 * better). SIPp's own CPU per call is shown for both runs as "Kamailio / Sleet".
 */
export function comparisonRows(
  pairs: Array<{ kamailio: SystemStep; sleet: SystemStep; floor?: SystemStep }>,
  ceilings?: { kamailio: CeilingRun; sleet: CeilingRun; floor?: CeilingRun },
): Array<Record<string, string | number>> {
  const rows: Array<Record<string, string | number>> = pairs.map(({ kamailio, sleet, floor }) => ({
    step: `${kamailio.offered} cps`,
    'Kamailio calls/s': kamailio.achieved,
    'Sleet calls/s': sleet.achieved,
    'Kamailio failed': kamailio.failed,
    'Sleet failed': sleet.failed,
    'Kamailio CPU ms/call': kamailio.proxyMsPerCall,
    'Sleet CPU ms/call': sleet.proxyMsPerCall,
    'Sleet/Kamailio': ratio(sleet.proxyMsPerCall, kamailio.proxyMsPerCall),
    'user+sys ms K/S': pair(split(kamailio), split(sleet)),
    'Kamailio p99 ms': kamailio.p99Ms,
    'Sleet p99 ms': sleet.p99Ms,
    'SIPp uac ms/call K/S': pair(kamailio.sippUacMsPerCall, sleet.sippUacMsPerCall),
    'SIPp uas ms/call K/S': pair(kamailio.sippUasMsPerCall, sleet.sippUasMsPerCall),
    ...(floor ? floorColumns(floor, kamailio, sleet) : {}),
  }));
  if (ceilings) {
    const top = (run: CeilingRun) => run.steps.find((s) => s.offered === run.ceiling);
    const k = top(ceilings.kamailio);
    const s = top(ceilings.sleet);
    rows.push({
      step: `ceiling, 0 failed (offered ${pair(ceilings.kamailio.ceiling, ceilings.sleet.ceiling)})`,
      'Kamailio calls/s': k?.achieved ?? 0,
      'Sleet calls/s': s?.achieved ?? 0,
      'Kamailio failed': 0,
      'Sleet failed': 0,
      'Kamailio CPU ms/call': k?.proxyMsPerCall ?? 'n/a',
      'Sleet CPU ms/call': s?.proxyMsPerCall ?? 'n/a',
      'Sleet/Kamailio': ratio(ceilings.sleet.ceiling, ceilings.kamailio.ceiling),
      'user+sys ms K/S': pair(split(k), split(s)),
      'Kamailio p99 ms': k?.p99Ms ?? 'n/a',
      'Sleet p99 ms': s?.p99Ms ?? 'n/a',
      'SIPp uac ms/call K/S': pair(k?.sippUacMsPerCall, s?.sippUacMsPerCall),
      'SIPp uas ms/call K/S': pair(k?.sippUasMsPerCall, s?.sippUasMsPerCall),
      ...(ceilings.floor
        ? {
            'Floor calls/s': top(ceilings.floor)?.achieved ?? 0,
            'Floor failed': 0,
            'Floor CPU ms/call': top(ceilings.floor)?.proxyMsPerCall ?? 'n/a',
            'Floor/Kamailio': ratio(ceilings.floor.ceiling, ceilings.kamailio.ceiling),
            'Sleet/Floor': ratio(ceilings.sleet.ceiling, ceilings.floor.ceiling),
          }
        : {}),
    });
  }
  return rows;
}
