import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Slee } from '../container/slee.js';
import type { DeploymentManager } from '../deployment/deployment-manager.js';
import { buildBundleCached } from '../../sdk/build/build-bundle-cached.js';
import type { ProfileStore } from '../../profiles/index.js';

/**
 * The example services `--demo` deploys, each built into its own bundle by
 * the SDK, with the profile tables their services read (spec name → table).
 */
export const DEMO_EXAMPLES: ReadonlyArray<{ name: string; tables: Readonly<Record<string, string>> }> = [
  { name: 'call-screening', tables: { BlocklistEntry: 'blocklist' } },
  { name: 'call-forwarding', tables: { ForwardingRule: 'forwarding' } },
  { name: 'click-to-dial', tables: {} },
  { name: 'wake-up-call', tables: {} },
];

const examplesDir = fileURLToPath(new URL('../../../examples/', import.meta.url));

/**
 * Installs the example bundles that are not installed yet and activates
 * their services. Bundles survive restarts through the deployment
 * manager, so a second start only activates what an operator left active.
 */
export async function deployDemoExamples(slee: Slee, deployment: DeploymentManager, profiles: ProfileStore, logger: Logger): Promise<void> {
  const installed = new Set(deployment.listUnits().map((u) => u.name));
  for (const { name, tables } of DEMO_EXAMPLES) {
    if (installed.has(name)) continue;
    const started = Date.now();
    try {
      const { archive } = await buildBundleCached(join(examplesDir, name), join(tmpdir(), 'sleet-demo-bundles'));
      const unit = await deployment.install(archive);
      for (const component of unit.components) {
        const table = component.kind === 'profile-spec' ? tables[component.id.name] : undefined;
        const spec = table === undefined ? undefined : deployment.profileSpec(component.id);
        if (table !== undefined && spec) await profiles.openTable(table, spec as new () => object);
      }
      for (const component of unit.components) {
        if (component.kind === 'service' && slee.serviceState(component.id) === 'INACTIVE') slee.activateService(component.id);
      }
      logger.info({ unit: unit.id, ms: Date.now() - started }, `example ${name} deployed`);
    } catch (err) {
      // One broken example must not take the node down: say why, raise an alarm, go on.
      logger.error({ err, example: name }, `example ${name} could not be deployed`);
      slee.kernel.alarms.raise('subsystem:demo', 'sleet.demo.example-not-deployed', name, 'MAJOR', `example ${name} could not be deployed: ${(err as Error).message}`, err);
    }
  }
}
