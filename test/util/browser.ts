import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Headless Chromium from the system (Debian's `chromium`), driven by playwright-core: no browser
 * is ever downloaded. Locally a machine without it skips browser tests; under CI=true a missing
 * browser fails them (`.ci/run` installs it).
 */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** True when browser tests should be skipped: no Chromium, and not on CI. */
export const skipBrowserTests = !existsSync(CHROMIUM_PATH) && process.env['CI'] !== 'true';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  page: Page;
  context: BrowserContext;
  /** Uncaught page errors and console errors, in order. */
  errors: string[];
  /** Every URL the page requested (including aborted ones). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A fresh browser profile and one page. With `origin`, any request to another origin is aborted
 * (and still listed in `requests`), so a test can assert that nothing left the server.
 */
export async function openBrowser(
  options: { origin?: string; headers?: Record<string, string> } = {},
): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`,
    );
  const profile = await mkdtemp(path.join(os.tmpdir(), 'settle-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    extraHTTPHeaders: options.headers,
    viewport: { width: 1400, height: 1000 },
  });
  const errors: string[] = [];
  const requests: string[] = [];
  if (options.origin !== undefined) {
    const origin = options.origin;
    await context.route('**/*', (route) =>
      new URL(route.request().url()).origin === origin ? route.continue() : route.abort(),
    );
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return {
    page,
    context,
    errors,
    requests,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Saves a screenshot under the OS temp dir (a test artifact) and returns its path. The whole page
 * unless `fullPage: false` (the viewport only: a long page takes seconds to capture whole).
 */
export async function saveScreenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<string> {
  const dir = path.join(os.tmpdir(), 'settle-test-artifacts');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  return file;
}
