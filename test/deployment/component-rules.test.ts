import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import { defineEventType } from '../../slee/component-model/event-type.js';
import type { InitialEventSelectVariable } from '../../slee/component-model/initial-event-select.js';
import { ComponentRule } from '../../slee/component-model/component-rules.js';
import { ComponentScanner } from '../../slee/deployment/component-scanner.js';
import { EventTypeRegistry } from '../../slee/deployment/event-type-registry.js';
import { InvalidComponentError } from '../../slee/deployment/invalid-component-error.js';
import { validateProject } from '../../sdk/analysis/validate-project.js';

const GreetingEvent = defineEventType<{ text: string }>('acme.Greeting', { vendor: 'acme', short: 'Greeting' });

/** The same mistakes, once as classes for the runtime scanner and once as the source the SDK reads. */
@Service({ vendor: 'acme', priority: 200 })
@Sbb({ vendor: 'acme' })
class BrokenSbb {
  @Cmp() seen: Map<string, number> = new Map();

  @InitialEvent({ select: ['Adress' as InitialEventSelectVariable], selector: 'pick' })
  onGreeting() {}

  onGoodbye() {}
}

@Service({ vendor: 'acme' })
@Sbb({ vendor: 'acme' })
class RootlessSbb {
  onGreeting() {}
}

const SOURCE = `import { Cmp, InitialEvent, Sbb, Service, defineEventType } from 'sleet';

export const GreetingEvent = defineEventType<{ text: string }>('acme.Greeting', { vendor: 'acme', short: 'Greeting' });

@Service({ vendor: 'acme', priority: 200 })
@Sbb({ vendor: 'acme' })
export class BrokenSbb {
  @Cmp() seen: Map<string, number> = new Map();

  @InitialEvent({ select: ['Adress'], selector: 'pick' })
  onGreeting() {}

  onGoodbye() {}
}

@Service({ vendor: 'acme' })
@Sbb({ vendor: 'acme' })
export class RootlessSbb {
  onGreeting() {}
}
`;

function runtimeRules(root: new (...args: never[]) => object): string[] {
  const registry = new EventTypeRegistry();
  registry.register(GreetingEvent);
  try {
    new ComponentScanner(registry).scanService(root);
  } catch (err) {
    assert.ok(err instanceof InvalidComponentError, String(err));
    return err.problems.flatMap((p) => (p.rule ? [p.rule] : [])).sort();
  }
  assert.fail(`${root.name} was accepted`);
}

test('a broken rule gives the same code from the runtime scanner and from the SDK analyser', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sleet-rules-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'rules', version: '1.0.0', private: true, sleet: { vendor: 'acme' } }));
  await writeFile(join(dir, 'src', 'broken-sbb.ts'), SOURCE);
  const { analysis } = await validateProject(dir);
  const sdkRules = analysis.diagnostics.flatMap((d) => (d.rule ? [d.rule] : [])).sort();

  const runtime = [...runtimeRules(BrokenSbb), ...runtimeRules(RootlessSbb)].sort();
  assert.deepEqual(runtime, [
    ComponentRule.CMP_NOT_SERIALISABLE,
    ComponentRule.MISSING_SELECTOR,
    ComponentRule.ROOT_WITHOUT_INITIAL_EVENT,
    ComponentRule.SELECT_VARIABLE,
    ComponentRule.SERVICE_PRIORITY,
    ComponentRule.UNKNOWN_SHORT_NAME,
  ]);
  assert.deepEqual(sdkRules, runtime, analysis.diagnostics.map((d) => d.message).join('\n'));
});
