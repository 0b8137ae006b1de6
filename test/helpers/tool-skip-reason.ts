/**
 * Why a test that needs a tool is skipped, or undefined to run it. Under CI=true a missing tool
 * fails the test instead: CI installs every tool the suite drives, so a skip there would hide one
 * that did not install. `missing` says what is missing and how to install it.
 */
export function toolSkipReason(available: boolean, missing: string): string | undefined {
  if (available) return undefined;
  if (process.env['CI'] === 'true') throw new Error(`${missing} (required under CI=true)`);
  return missing;
}
