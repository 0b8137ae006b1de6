import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `npm run build` puts the console: dist/console, next to dist/server. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../console/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The web console's built files under `/console/`, and `/` redirecting
 * there (all in PUBLIC_ROUTES). Only files inside `dir` are served.
 */
export function serveConsole(app: FastifyInstance, dir: string): void {
  const root = resolve(dir);
  const toConsole = async (_req: unknown, reply: FastifyReply) => reply.redirect('/console/', 302);
  app.get('/', toConsole);
  app.get('/console', toConsole);
  app.get('/console/*', async (req, reply) => {
    const wanted = (req.params as { '*': string })['*'] || 'index.html';
    const file = insideRoot(root, wanted);
    const body = file ? await readFileIfAny(file) : null;
    if (!file || !body) return reply.status(404).type('text/plain; charset=utf-8').send(notFoundText(wanted));
    return (
      reply
        .header('x-content-type-options', 'nosniff')
        // Vite names assets by content hash, so they never change; index.html names the current ones.
        .header('cache-control', wanted.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
        .type(TYPES[extname(file)] ?? 'application/octet-stream')
        .send(body)
    );
  });
}

/** The absolute file for a request path, or null when it would leave the root. */
function insideRoot(root: string, wanted: string): string | null {
  if (wanted.includes('\0') || wanted.includes('\\') || wanted.split('/').some((s) => s === '..' || s === '.')) return null;
  const file = resolve(root, wanted);
  return file.startsWith(root + sep) ? file : null;
}

async function readFileIfAny(file: string): Promise<Buffer | null> {
  const info = await stat(file).catch(() => null);
  return info?.isFile() ? readFile(file) : null;
}

function notFoundText(wanted: string): string {
  return wanted === 'index.html' ? 'the console is not built: run npm run build\n' : 'not found\n';
}
