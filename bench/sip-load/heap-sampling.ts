import { Session } from 'node:inspector/promises';

/** What a node allocated while sampled: every object, young or old, collected or not (V8's sampling heap profiler). */
export interface AllocationReading {
  /** Bytes the sampled allocations stand for. */
  bytes: number;
  /** The functions that allocated most themselves, largest first: `name file:line`. */
  sites: Array<{ site: string; bytes: number }>;
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const SAMPLING_INTERVAL_BYTES = 4096;
let session: Session | undefined;

/** Starts sampling every allocation, including those the scavenger frees (the garbage a request makes). */
export async function startHeapSampling(): Promise<void> {
  session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: SAMPLING_INTERVAL_BYTES,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
}

export async function stopHeapSampling(top: number): Promise<AllocationReading> {
  if (session === undefined) throw new Error('heap sampling was not started');
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
  session.disconnect();
  session = undefined;
  const bySite = new Map<string, number>();
  let bytes = 0;
  const pending = [profile.head];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    bytes += node.selfSize;
    if (node.selfSize > 0) {
      const site = siteOf(node);
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    }
    pending.push(...node.children);
  }
  const sites = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { bytes, sites: sites.map(([site, siteBytes]) => ({ site, bytes: siteBytes })) };
}

/** A function and where it is, the path from dist/ or node_modules/ on, so that two builds' sites compare. */
function siteOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${url.replace(/^.*\/(dist|node_modules)\//, '')}:${lineNumber + 1}`;
}
