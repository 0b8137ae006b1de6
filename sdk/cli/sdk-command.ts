import { Command } from 'commander';
import { SleetError } from '../../base/errors/sleet-error.js';
import { formatDiagnostic } from '../analysis/sdk-diagnostic.js';
import { validateProject } from '../analysis/validate-project.js';
import { buildBundle } from '../build/build-bundle.js';
import { deployBundle } from '../deploy/deploy-bundle.js';
import { initProject } from '../init/init-project.js';
import { REGISTRY_SLEET } from '../init/sleet-dependency.js';
import { addNodeAccessOptions } from '../../server/cli/client-options.js';
import { resolveNodeAccess, type NodeAccessOptions } from '../../server/management/client/node-access.js';

/** Prints a failure the way developers act on it: one reason per line, exit code 1. */
async function reporting(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (SleetError.is(err) && Array.isArray(err.details)) {
      console.error(err.message.split('\n')[0]);
      for (const line of err.details as string[]) console.error(line);
    } else console.error(SleetError.is(err) ? err.message : err);
    process.exitCode = 1;
  }
}

/** The SDK's commands; `sleet-sdk` runs it directly and the `sleet` CLI mounts it as `sleet sdk`. */
export function createSdkCommand(): Command {
  const sdk = new Command('sdk').description('Build Sleet service bundles: init, validate, build, deploy');

  sdk
    .command('init <dir>')
    .description('scaffold a service project (package.json, tsconfig, an SBB, a test, README)')
    .option('--vendor <vendor>', 'vendor of the unit and its components', 'example')
    .option('--name <name>', 'unit name (default: the directory name)')
    .option('--sleet <spec>', `how the project depends on Sleet, as npm takes it (default: file: this SDK's checkout; e.g. ${REGISTRY_SLEET})`)
    .action((dir: string, opts: { vendor: string; name?: string; sleet?: string }) =>
      reporting(async () => {
        const files = await initProject(dir, opts);
        console.log(`created ${files.join(', ')} in ${dir}`);
      }),
    );

  sdk
    .command('validate [dir]')
    .description('check the project statically (handlers, CMP fields, initial events, RA links)')
    .action((dir = '.') =>
      reporting(async () => {
        const { analysis, ok } = await validateProject(dir);
        for (const d of analysis.diagnostics) console.error(formatDiagnostic(d));
        if (!ok) {
          console.error(`${analysis.diagnostics.length} error(s)`);
          process.exitCode = 1;
        } else console.log(`ok: ${analysis.services.length} service(s), ${analysis.sbbs.length} SBB(s), ${analysis.eventTypes.length} event type(s)`);
      }),
    );

  sdk
    .command('build [dir]')
    .description('validate, compile to CommonJS, write sleet-bundle.json and pack the .tgz')
    .option('--out <dir>', 'output directory (default: <dir>/build)')
    .action((dir: string | undefined, opts: { out?: string }) =>
      reporting(async () => {
        const result = await buildBundle(dir ?? '.', opts.out ? { outDir: opts.out } : {});
        console.log(result.archive);
      }),
    );

  addNodeAccessOptions(sdk.command('deploy <bundle>').description('install a .tgz through the management REST API of the node `sleet` would talk to'))
    .option('--activate', "activate the unit's services")
    .option('--upgrade <service>', 'name:vendor:version of the running service to replace (deactivate-and-activate)')
    .action((bundle: string, opts: NodeAccessOptions & { activate?: boolean; upgrade?: string }) =>
      reporting(async () => {
        const result = await deployBundle(bundle, { ...opts, ...resolveNodeAccess(opts) });
        console.log(`installed ${result.unit.id}${result.activated.length > 0 ? `; active: ${result.activated.join(', ')}` : ''}`);
      }),
    );

  return sdk;
}
