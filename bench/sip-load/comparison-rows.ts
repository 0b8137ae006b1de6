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

/** The Node.js proxies measured beside one core's Kamailio, by the label of their columns. */
export interface NodeProxySteps {
  /** The Node.js floor (`floor-relay.ts`). */
  floor?: SystemStep;
  /** The SIP stack alone (its standalone proxy example, no SLEE). */
  stack?: SystemStep;
}

const LABELS = { floor: 'Floor', stack: 'Stack' } as const;

/** Each proxy's step-up, the Node.js proxies' when they ran. */
export interface Ceilings {
  kamailio: CeilingRun;
  sleet: CeilingRun;
  floor?: CeilingRun;
  stack?: CeilingRun;
}

/**
 * A Node.js proxy's columns: its CPU per call, and Kamailio's and Sleet's
 * against it. The floor splits the gap into what Node.js costs and what
 * Sleet adds; the stack alone splits what Sleet adds into the SIP stack's
 * part and the SLEE's (with its services) above it.
 */
function nodeProxyColumns(steps: NodeProxySteps, kamailio: SystemStep, sleet: SystemStep): Record<string, string | number> {
  const columns: Record<string, string | number> = {};
  for (const key of ['floor', 'stack'] as const) {
    const step = steps[key];
    if (step === undefined) continue;
    const label = LABELS[key];
    columns[`${label} calls/s`] = step.achieved;
    columns[`${label} failed`] = step.failed;
    columns[`${label} CPU ms/call`] = step.proxyMsPerCall;
    columns[`${label}/Kamailio`] = ratio(step.proxyMsPerCall, kamailio.proxyMsPerCall);
    columns[`Sleet/${label}`] = ratio(sleet.proxyMsPerCall, step.proxyMsPerCall);
  }
  return columns;
}

/** On the ceiling row, each Node.js proxy's top step, and the ratios of the ceilings (higher is better). */
function nodeProxyCeilingColumns(ceilings: Ceilings): Record<string, string | number> {
  const columns: Record<string, string | number> = {};
  for (const key of ['floor', 'stack'] as const) {
    const run = ceilings[key];
    if (run === undefined) continue;
    const label = LABELS[key];
    const top = run.steps.find((s) => s.offered === run.ceiling);
    columns[`${label} calls/s`] = top?.achieved ?? 0;
    columns[`${label} failed`] = 0;
    columns[`${label} CPU ms/call`] = top?.proxyMsPerCall ?? 'n/a';
    columns[`${label}/Kamailio`] = ratio(run.ceiling, ceilings.kamailio.ceiling);
    columns[`Sleet/${label}`] = ratio(ceilings.sleet.ceiling, run.ceiling);
  }
  return columns;
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
  pairs: Array<{ kamailio: SystemStep; sleet: SystemStep } & NodeProxySteps>,
  ceilings?: Ceilings,
): Array<Record<string, string | number>> {
  const rows: Array<Record<string, string | number>> = pairs.map(({ kamailio, sleet, ...nodeProxies }) => ({
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
    ...nodeProxyColumns(nodeProxies, kamailio, sleet),
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
      ...nodeProxyCeilingColumns(ceilings),
    });
  }
  return rows;
}
