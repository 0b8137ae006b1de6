#!/usr/bin/env node
// Runs the compiled tests with node's own runner. Node 20 takes no glob
// patterns for --test, so the files are listed here. --expose-gc is for the
// tests that prove an uninstalled bundle's code is collectable. The timeout
// (per file on Node 20, which applies it to each file's test as a whole)
// turns a hang into a failure that names the file, well inside CI's limit.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('../dist/test/', import.meta.url).pathname;
const filters = process.argv.slice(2);

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const files = collect(root, [])
  .filter((f) => filters.length === 0 || filters.some((p) => relative(root, f).includes(p)))
  .sort();
if (files.length === 0) {
  console.error(`no test files under ${root} match ${filters.join(' ') || '*'}`);
  process.exit(1);
}
// The tests, and the nodes, SIPp and browsers they start, make their temporary directories under
// one directory of the run's (TMPDIR), removed when the run ends: a suite run often, or a test that
// failed before its cleanup, then leaves nothing in the machine's /tmp.
const run = mkdtempSync(join(tmpdir(), 'sleet-test-run-'));
// The ports the tests reserve (freePort in test/sip/interop/sipp-runner.ts): one directory for
// the run, so that two test files running side by side never draw the same port.
const ports = join(run, 'ports');
mkdirSync(ports);
const result = spawnSync(process.execPath, ['--expose-gc', '--test', '--test-concurrency=2', '--test-timeout=600000', ...files], {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: run, SLEET_TEST_PORTS: ports },
});
rmSync(run, { recursive: true, force: true });
process.exit(result.status ?? 1);
