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
  const pending: Array<{ node: ProfileNode; caller: ProfileNode | undefined }> = [{ node: profile.head, caller: undefined }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, caller } = next;
    bytes += node.selfSize;
    if (node.selfSize > 0) {
      const site = siteOf(node, caller);
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    }
    const callerOfChildren = node.callFrame.url === '' ? caller : node;
    for (const child of node.children) pending.push({ node: child, caller: callerOfChildren });
  }
  const sites = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { bytes, sites: sites.map(([site, siteBytes]) => ({ site, bytes: siteBytes })) };
}

/**
 * A function and where it is, the path from dist/ or node_modules/ on, so that two builds' sites compare.
 * A built-in (`Map`, `Set`, an iterator's `next`) has no place of its own and is named with the nearest JavaScript function above it.
 */
function siteOf(node: ProfileNode, caller: ProfileNode | undefined): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (url === '' && caller !== undefined) return `${name} ← ${siteOf(caller, undefined)}`;
  return `${name} ${url.replace(/^.*\/(dist|node_modules)\//, '')}:${lineNumber + 1}`;
}
