import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../sip/interop/sipp-runner.js';

const sleetRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface Block {
  readonly kind: 'sh' | 'node' | 'file';
  readonly path?: string;
  readonly text: string;
}

/** The fenced blocks of docs/getting-started.md the test runs: `sh`, `sh node`, and `ts`/`js` blocks naming a file. */
function docBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  for (const match of markdown.matchAll(/^```(\w+)(?: (\S+))?\n([\s\S]*?)^```$/gm)) {
    const [, lang, info, text] = match as unknown as [string, string, string | undefined, string];
    if (lang === 'sh') blocks.push(info === 'node' ? { kind: 'node', text } : { kind: 'sh', text });
    else if ((lang === 'ts' || lang === 'js') && info) blocks.push({ kind: 'file', path: info, text });
  }
  return blocks;
}

test(
  'docs/getting-started.md, run as written outside the repository: init, install offline, validate, test, build, deploy, a MESSAGE answered, upgrade',
  { timeout: 1_200_000 },
  async (t) => {
    const blocks = docBlocks(await readFile(join(sleetRoot, 'docs', 'getting-started.md'), 'utf8'));
    assert.deepEqual(
      blocks.map((b) => b.kind),
      ['node', 'sh', 'file', 'file', 'sh', 'file', 'sh', 'sh'],
    );
    const home = await mkdtemp(join(tmpdir(), 'sleet-getting-started-'));
    // The page starts next to a clone called sleet; this checkout stands in for it.
    await symlink(sleetRoot, join(home, 'sleet'), 'dir');
    const sipPort = await freePort();
    // Without NODE_TEST_CONTEXT the project's own `node --test` reports in TAP rather than to this runner.
    const { NODE_TEST_CONTEXT: _context, SLEET_DATA_DIR: _dataDir, SLEET_URL: _url, SLEET_TOKEN: _token, ...inherited } = process.env;
    const env = {
      ...inherited,
      HOME: home,
      npm_config_cache: join(home, '.npm'),
      npm_config_update_notifier: 'false',
      // The page's node on ports of this test's own.
      SLEET_SIP_PORT: String(sipPort),
      SLEET_MANAGEMENT_PORT: '0',
      SLEET_HTTP_PORT: '0',
    };

    const nodeBlock = blocks.find((b) => b.kind === 'node')!;
    const node = spawn('bash', ['-euc', `exec ${nodeBlock.text.trim()}`], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let nodeLog = '';
    node.stdout.on('data', (d: Buffer) => (nodeLog += d.toString()));
    node.stderr.on('data', (d: Buffer) => (nodeLog += d.toString()));
    t.after(() => {
      node.kill('SIGTERM');
    });
    const urlFile = join(home, 'sleet-data', 'management-url');
    for (let i = 0; i < 600 && !(existsSync(urlFile) && /"msg":"ready/.test(nodeLog)); i++) {
      assert.equal(node.exitCode, null, `the node stopped: ${nodeLog}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(existsSync(urlFile), `the node wrote its management URL: ${nodeLog}`);

    // The rest in one shell, as a reader types it, with the SIP port this test's node listens on.
    let script = 'set -euo pipefail\n';
    for (const block of blocks) {
      if (block.kind === 'file') {
        // A file's label is its path from the folder the page starts in, wherever the reader has cd'd since.
        const path = join(home, block.path ?? '');
        script += `mkdir -p "$(dirname '${path}')" && cat > '${path}' <<'SLEET_DOC_EOF'\n${block.text}SLEET_DOC_EOF\n`;
      } else if (block.kind === 'sh') {
        script += `${block.text.replaceAll(' 5060 ', ` ${sipPort} `)}`;
      }
    }
    await mkdir(join(home, 'steps'), { recursive: true });
    await writeFile(join(home, 'steps', 'getting-started.sh'), script);
    const run = spawnSync('bash', ['-x', join(home, 'steps', 'getting-started.sh')], { cwd: home, env, encoding: 'utf8', timeout: 1_080_000 });
    assert.equal(run.status, 0, `the page's commands failed:\n${run.stdout}\n${run.stderr}\nnode log:\n${nodeLog}`);

    // What the page says happened.
    const pkg = JSON.parse(readFileSync(join(home, 'hello-sip', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.equal(pkg.dependencies.sleet, `file:${resolve(sleetRoot)}`, 'the project depends on the checkout, installed as sleet');
    assert.match(run.stdout, /^EchoService:acme:2\.0\s+ACTIVE\s/m);
    assert.match(run.stdout, /^EchoService:acme:1\.0\s+INACTIVE\s/m);
    assert.doesNotMatch(nodeLog, /gets sip\.request\.MESSAGE only after/, 'priority 20 answers before the location proxy');
  },
);
