import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEFAULT_CONSOLE_DIR } from '../../server/management/rest/console-assets.js';

/** Screenshots for a reviewer; gitignored. */
const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-output/console/', import.meta.url));
/** Generous: the machine running the tests may be small and busy. */
const UI_TIMEOUT_MS = 30_000;

export interface ConsoleBrowser {
  browser: Browser;
  page: Page;
  /** Saves the page as `<name>.png` in SCREENSHOT_DIR, toasts hidden unless asked for. */
  screenshot(name: string, options?: { toasts?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/** Debian's Chromium (never a Playwright download), headless, one page at desktop size. */
export async function openConsoleBrowser(): Promise<ConsoleBrowser> {
  if (!existsSync(join(DEFAULT_CONSOLE_DIR, 'index.html'))) throw new Error(`the console is not built (${DEFAULT_CONSOLE_DIR}): run npm run build`);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  console.log(`console screenshots: ${SCREENSHOT_DIR}`);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', timeout: 120_000 });
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  page.on('dialog', (dialog) => void dialog.accept());
  page.on('pageerror', (err) => console.log(`console page error: ${err.message}`));
  return {
    browser,
    page,
    async screenshot(name, options = {}) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, ...(options.toasts ? {} : { style: '.toasts { display: none; }' }) });
      return path;
    },
    close: () => browser.close(),
  };
}

/** Waits until `check` holds (polling), for conditions outside the page such as node state. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
