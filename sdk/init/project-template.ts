/** The files `sleet-sdk init` writes, as functions of the project's name and vendor. */
export interface TemplateParams {
  readonly name: string;
  readonly vendor: string;
  /** The dependency on Sleet as npm takes it: `file:<checkout>` or `npm:@sleet-slee/sleet@…`. */
  readonly sleet: string;
}

export function projectTemplate({ name, vendor, sleet }: TemplateParams): Record<string, string> {
  return {
    'package.json':
      JSON.stringify(
        {
          name,
          version: '1.0.0',
          private: true,
          scripts: {
            validate: 'sleet-sdk validate',
            build: 'sleet-sdk build',
            test: 'sleet-sdk build && node --test',
          },
          dependencies: { sleet },
          sleet: { vendor, raLinks: [] },
        },
        null,
        2,
      ) + '\n',
    'tsconfig.json':
      JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'CommonJS',
            moduleResolution: 'Bundler',
            strict: true,
            experimentalDecorators: true,
            emitDecoratorMetadata: true,
            useDefineForClassFields: false,
            skipLibCheck: true,
            rootDir: 'src',
            outDir: 'build/bundle/lib',
          },
          include: ['src'],
        },
        null,
        2,
      ) + '\n',
    'src/greeting-event.ts': `import { defineEventType } from 'sleet';

export interface Greeting {
  readonly text: string;
}

/** Handled by HelloSbb.onGreeting: the handler name is 'on' + the short name. */
export const GreetingEvent = defineEventType<Greeting>('${vendor}.Greeting', { vendor: '${vendor}', version: '1.0', short: 'Greeting' });
`,
    'src/hello-sbb.ts': `import { Cmp, InitialEvent, Sbb, Service } from 'sleet';
import type { Greeting } from './greeting-event';

/**
 * Counts the greetings on each activity and remembers the last one.
 * priority: services that take the same initial event get it highest first
 * (-128..127, default 0). A node's own SIP services are digest
 * authentication (100), registrar (20) and location proxy (10): a service
 * that answers SIP requests itself needs a priority above 10, or the proxy
 * answers first (the node logs a warning naming both).
 */
@Service({ name: 'HelloService', vendor: '${vendor}', version: '1.0', priority: 0 })
@Sbb({ name: 'HelloSbb', vendor: '${vendor}', version: '1.0' })
export class HelloSbb {
  @Cmp() greetings = 0;
  @Cmp() last = '';

  @InitialEvent({ select: ['ActivityContext'] })
  onGreeting(event: Greeting) {
    this.greetings = this.greetings + 1;
    this.last = event.text;
  }
}
`,
    'test/hello.test.mjs': `// Runs the built service in an embedded SLEE fed by the direct resource adaptor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Slee } from 'sleet';
import { DirectResourceAdaptor } from 'sleet/direct';

const require = createRequire(import.meta.url);
const { HelloSbb } = require('../build/bundle/lib/hello-sbb.js');
const { GreetingEvent } = require('../build/bundle/lib/greeting-event.js');

test('greetings on one activity reach one HelloSbb entity', async () => {
  const slee = new Slee();
  const ra = new DirectResourceAdaptor([GreetingEvent]);
  await slee.createResourceAdaptorEntity('direct', ra);
  await slee.activateResourceAdaptorEntity('direct');
  await slee.start();
  slee.activateService(slee.installService(HelloSbb));
  const activity = ra.startActivity();
  await ra.fire(activity, GreetingEvent, { text: 'hello' });
  await ra.fire(activity, GreetingEvent, { text: 'again' });
  const entities = [...slee.kernel.entities.values()];
  assert.equal(entities.length, 1);
  assert.deepEqual(entities[0].cmp, { greetings: 2, last: 'again' });
  await slee.stop();
});
`,
    'README.md': `# ${name}

A Sleet service project made with \`sleet-sdk init\`.

- \`src/greeting-event.ts\`: the event type the service handles.
- \`src/hello-sbb.ts\`: the service's root SBB.
- \`package.json\` \`"sleet"\`: the vendor, and the resource-adaptor link names SBBs may use with \`@RaLink\` (\`raLinks\`).
- \`package.json\` \`"dependencies"\`: Sleet, installed as \`sleet\` (the name services import) from
  \`${sleet}\`. A \`file:\` dependency is a local checkout (built with \`npm run build\`);
  \`npm:@sleet-slee/sleet@^0.1.0\` is the registry package.

\`\`\`sh
npm install                   # links Sleet (and its sleet-sdk command) into node_modules
npx sleet-sdk validate        # static checks, with file:line:column
npx sleet-sdk build           # build/bundle/ and build/${name}-1.0.0.tgz
npm test                      # builds, then runs test/ against an embedded SLEE
npx sleet-sdk deploy build/${name}-1.0.0.tgz --activate --data-dir <the node's data directory>
\`\`\`

\`sleet-sdk deploy\` finds the node the way \`sleet\` does: \`--url\` and \`--token\`, else
\`SLEET_URL\` and \`SLEET_TOKEN\`, else the \`management-url\` and \`management-token\` files of the
node's data directory (\`--data-dir\`, \`SLEET_DATA_DIR\`, default \`./data\`). The management API
listens on http://127.0.0.1:9797 by default; port 8080 is the HTTP resource adaptor, not management.

See Sleet's docs/getting-started.md, docs/sdk.md and docs/deployment.md.
`,
  };
}
