import type { Logger } from 'pino';
import type { Slee } from '../../slee/container/slee.js';
import type { DeploymentManager } from '../../slee/deployment/deployment-manager.js';
import type { ProfileStore } from '../../profiles/index.js';
import { DEMO_EXAMPLES } from './demo-examples.js';
import { buildDemoBundles } from './build-demo-bundle.js';

/**
 * Installs the example bundles that are not installed yet and activates
 * their services. Bundles survive restarts through the deployment
 * manager, so a second start only activates what an operator left active.
 */
export async function deployDemoExamples(slee: Slee, deployment: DeploymentManager, profiles: ProfileStore, logger: Logger): Promise<void> {
  const installed = new Set(deployment.listUnits().map((u) => u.name));
  const missing = DEMO_EXAMPLES.filter(({ name }) => !installed.has(name));
  const builds = buildDemoBundles(missing.map(({ name }) => name));
  for (const [i, { name, tables }] of missing.entries()) {
    const started = Date.now();
    try {
      const { archive } = await builds[i]!;
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
      slee.kernel.alarms.raise(
        'subsystem:demo',
        'sleet.demo.example-not-deployed',
        name,
        'MAJOR',
        `example ${name} could not be deployed: ${(err as Error).message}`,
        err,
      );
    }
  }
}
