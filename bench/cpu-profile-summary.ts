import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives, coarsely: the subsystem its file belongs to, or the V8/Node pseudo-frames. */
function area(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : `(native) ${name}`;
  const path = url.replace(/^file:\/\/.*?\/dist\//, '');
  if (path.startsWith('node:')) return path.split('/').slice(0, 2).join('/');
  const parts = path.split('/');
  if (parts[0] === 'resource-adaptors') return parts.slice(0, 3).join('/');
  if (parts.includes('node_modules')) return `node_modules/${parts[parts.indexOf('node_modules') + 1]}`;
  return parts.slice(0, 2).join('/');
}

/**
 * Self time per function and per area of a V8 `.cpuprofile`, over a window
 * of the run (ms from the profile's start), so start-up (bundle builds) can
 * be left out: `node dist/bench/cpu-profile-summary.js <file> [fromMs] [toMs] [top]`.
 */
function summarise(file: string, fromMs: number, toMs: number, top: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]!;
    const ms = at / 1000;
    if (ms < fromMs || ms > toMs) continue;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + delta);
  }
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^file:\/\/.*?\/dist\//, '')}:${lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
    const where = area(url, functionName);
    areas.set(where, (areas.get(where) ?? 0) + us);
  }
  const share = (us: number) => `${((us / busy) * 100).toFixed(1)}%`.padStart(6);
  console.log(`busy ${(busy / 1e6).toFixed(2)} s of CPU in the window`);
  console.log('\nby area:');
  for (const [name, us] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${share(us)}  ${name}`);
  console.log('\nby function (self):');
  for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${share(us)}  ${name}`);
}

const [file, from = '0', to = 'Infinity', top = '40'] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node dist/bench/cpu-profile-summary.js <file.cpuprofile> [fromMs] [toMs] [top]');
  process.exit(2);
}
summarise(file, Number(from), Number(to), Number(top));
