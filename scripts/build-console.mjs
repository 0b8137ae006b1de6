// `npm run build:console`: type-checks and bundles the console with Vite, unless dist/console is
// newer than every input. `npm start` runs the build each time, and Vite alone took 4 s of a 7 s start.
// `--force` rebuilds anyway.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'console', 'index.html');

function newestInput(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestInput(join(path, name))));
}

const inputs = [join(root, 'console'), join(root, 'package-lock.json'), fileURLToPath(import.meta.url)];
const upToDate = !process.argv.includes('--force') && existsSync(built) && statSync(built).mtimeMs > Math.max(...inputs.map(newestInput));
if (upToDate) {
  console.log('console up to date (dist/console)');
} else {
  const bin = (name) => join(root, 'node_modules', '.bin', name);
  execFileSync(bin('tsc'), ['-p', 'console/tsconfig.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(bin('vite'), ['build', '--config', 'console/vite.config.ts'], { cwd: root, stdio: 'inherit' });
}
