import { spawnSync } from 'node:child_process';

export const VALGRIND_MISSING = 'valgrind not found on PATH: install it (Debian: apt-get install -y valgrind) to count instructions';

export function valgrindAvailable(): boolean {
  return spawnSync('valgrind', ['--version']).error === undefined;
}
