#!/usr/bin/env node
// Keeps the code the docs show identical to the files it comes from. A block
//   <!-- include: path/from/the/root.ts -->
//   ```ts
//   ...
//   ```
//   <!-- /include -->
// holds the named file, whole. `--check` (npm run docs:check) exits 1 naming every block that differs;
// `--write` (npm run docs:write) fills them in. `--root <dir>` checks another tree (the test uses a copy).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const write = args.includes('--write');
const rootAt = args.indexOf('--root');
const root = rootAt === -1 ? fileURLToPath(new URL('..', import.meta.url)) : args[rootAt + 1];
const BLOCK = /(<!-- include: (\S+) -->\n)([\s\S]*?)(<!-- \/include -->)/g;
const FENCES = { '.ts': 'ts', '.mjs': 'js', '.js': 'js', '.json': 'json', '.sh': 'sh' };

const docs = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];
const stale = [];
for (const doc of docs) {
  const path = join(root, doc);
  const text = readFileSync(path, 'utf8');
  const filled = text.replace(BLOCK, (_all, open, file, current, close) => {
    const source = join(root, file);
    if (!existsSync(source)) {
      stale.push(`${doc}: includes ${file}, which does not exist`);
      return `${open}${current}${close}`;
    }
    const body = readFileSync(source, 'utf8');
    const wanted = `\`\`\`${FENCES[extname(file)] ?? ''}\n${body.endsWith('\n') ? body : `${body}\n`}\`\`\`\n`;
    if (wanted !== current) stale.push(`${doc}: the copy of ${file} differs from the file`);
    return `${open}${wanted}${close}`;
  });
  if (write && filled !== text) writeFileSync(path, filled);
}
if (stale.length > 0 && !write) {
  console.error(`${stale.join('\n')}\nrun npm run docs:write (in ${relative(process.cwd(), root) || '.'}) to copy the files in`);
  process.exit(1);
}
if (write) console.log(stale.length > 0 ? `updated: ${stale.join('; ')}` : 'docs up to date');
