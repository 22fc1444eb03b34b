import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { errorLines } from './util/files.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';
import { openBrowser, saveScreenshot, skipBrowserTests } from './util/browser.js';
import { repoRoot, settle } from './util/pipeline.js';
import { groupedMajor as major } from './util/money.js';
import { versionRows } from './util/serve.js';
import { DATE, tempDir } from './util/snapshot.js';

/**
 * `settle serve` as a real process (first stdout line, exit codes, SIGTERM), and the dashboard
 * page in headless Chromium against it.
 */
let warehouse: string;
let serve: {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr: () => string;
  exit: Promise<number | null>;
};

function spawnServe(...args: string[]): Promise<typeof serve> {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'dist', 'bin', 'settle.js'), 'serve', ...args],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line !== undefined)
        resolve({ child, url: line, stderr: () => stderr, exit });
    });
    void exit.then((code) => reject(new Error(`settle serve exited ${code}: ${stderr}`)));
  });
}

beforeAll(async () => {
  warehouse = await tempDir('settle-serve-cli-');
  await settle(path.join(repoRoot, 'fixtures', 'snapshot'), { warehouse });
  serve = await spawnServe('--warehouse', warehouse, '--port', '0');
});

afterAll(() => {
  if (serve?.child.exitCode === null) serve.child.kill('SIGKILL');
});

/** Runs the CLI in-process with stdout and stderr captured; `during` runs once stdout has a line. */
async function inProcess(
  args: string[],
  during?: (stdout: string) => Promise<void>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const running = main(args);
    if (during !== undefined) {
      while (!stdout.includes('\n')) await new Promise((r) => setTimeout(r, 10));
      await during(stdout);
    }
    return { code: await running, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('settle serve (command line)', () => {
  it('prints the URL it serves as its first stdout line (real process; --json: {"url": ...})', async () => {
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await fetch(new URL('api/health', serve.url))).status).toBe(200);
    const json = await inProcess(
      ['serve', '--warehouse', warehouse, '--port', '0', '--json'],
      async (stdout) => {
        const { url } = JSON.parse(stdout.split('\n')[0] as string) as { url: string };
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
        expect((await fetch(new URL('api/health', url))).status).toBe(200);
        // Only the command's own listener hears it: an event, not a real signal to the worker.
        expect(process.listenerCount('SIGINT')).toBe(1);
        process.emit('SIGINT');
      },
    );
    expect(json.code).toBe(0);
  });

  it('refuses a non-loopback host without --token-file, a bad port, a missing warehouse (exit 2, one line)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--host', '0.0.0.0'], /^settle: --host 0\.0\.0\.0 is not a loopback address/],
      [['--port', '70000'], /^settle: --port 70000: expected 0 to 65535/],
      [['--warehouse', path.join(warehouse, 'nope')], /^settle: warehouse .* does not exist/],
      [
        ['--host', '0.0.0.0', '--token-file', path.join(warehouse, 'no-token')],
        /^settle: --token-file .* cannot be read/,
      ],
    ];
    for (const [extra, message] of cases) {
      const result = await inProcess(['serve', '--warehouse', warehouse, '--port', '0', ...extra]);
      expect(result.code, result.stderr).toBe(2);
      expect(errorLines(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
  });
});

describe.skipIf(skipBrowserTests)('the dashboard page in headless Chromium', () => {
  it('shows the version and the searched merchant in exact major units, nothing leaves the server', async () => {
    const origin = new URL(serve.url).origin;
    const browser = await openBrowser({ origin });
    try {
      const { page } = browser;
      const rows = (await versionRows(warehouse, DATE, 'v7811')).filter(
        (r) => r['merchant_id'] === 'M000003',
      );
      expect(rows.length).toBe(2);
      await page.goto(`${serve.url}?q=M000003`);
      await page.waitForSelector('#rows[aria-busy="false"] tbody tr');
      expect(await page.textContent('#version-name')).toBe('v7811');
      expect(new URL(page.url()).searchParams.get('version')).toBe('v7811');
      const cells = await page.$$eval('#rows tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
      expect(cells).toEqual(
        rows.map((r) => {
          const decimals = r['currency'] === 'JPY' ? 0 : 2;
          const m = (name: string) => major(r[name] as bigint, decimals);
          return [
            'M000003',
            r['currency'],
            m('available_balance'),
            m('holds_balance'),
            m('reserve_balance'),
            m('holds_delta'),
            String(r['failed_payout_count']),
            m('payouts_failed'),
            r['reserve_review'] ? 'yes' : 'no',
            r['books_complete'] ? 'complete' : `incomplete ${String(r['incomplete_reason'])}`,
            r['payout_eligible'] ? 'yes' : 'no',
          ];
        }),
      );
      // Flagged only, by keyboard: the choice lands in the URL and every row carries the flag.
      await page.fill('#q', '');
      await page.selectOption('#flag', 'reserve_review');
      await page.focus('#q');
      await page.keyboard.press('Enter');
      await page.waitForURL(/flag=reserve_review/);
      await page.waitForSelector('#rows[aria-busy="false"]');
      const flagged = await page.$$eval('#rows tbody tr td:nth-child(9)', (tds) =>
        tds.map((td) => td.textContent),
      );
      expect(flagged.length).toBeGreaterThan(0);
      expect(new Set(flagged)).toEqual(new Set(['yes']));
      const file = await saveScreenshot(page, 'dashboard');
      console.log(`dashboard screenshot: ${file}`);
      // A date with no published version says so.
      await page.goto(`${serve.url}?date=2026-04-07`);
      await page.waitForFunction(() =>
        document.querySelector('#status')?.textContent?.includes('No published version'),
      );
      expect(browser.errors).toEqual([]);
      expect(browser.requests.filter((u) => new URL(u).origin !== origin)).toEqual([]);
      if (process.env['UPDATE_SCREENSHOT'] === '1') {
        await mkdir(path.join(repoRoot, 'docs', 'img'), { recursive: true });
        await copyFile(file, path.join(repoRoot, 'docs', 'img', 'dashboard.png'));
      }
    } finally {
      await browser.close();
    }
  });
});

describe('settle serve shutdown', () => {
  it('SIGTERM under load: requests in flight complete, no 5xx or cut bodies, exit 0', async () => {
    const { child, url } = serve;
    const outcomes: Array<{ status: number; at: number } | { error: string; at: number }> = [];
    let running = true;
    const loop = async (target: string): Promise<void> => {
      while (running) {
        try {
          const res = await fetch(new URL(target, url));
          const body = (await res.json()) as { version?: string };
          outcomes.push({ status: res.status, at: performance.now() });
          if (res.status === 200 && body.version !== 'v7811') throw new Error('wrong version');
        } catch (err) {
          outcomes.push({ error: String((err as Error).cause ?? err), at: performance.now() });
          return;
        }
      }
    };
    const targets = [
      `api/dates/${DATE}/merchants/M000003`,
      `api/dates/${DATE}/merchants?limit=1000`,
      `api/dates/${DATE}/summary`,
    ];
    const loops = Array.from({ length: 6 }, (_, i) => loop(targets[i % targets.length] as string));
    await new Promise((r) => setTimeout(r, 300));
    const signalled = performance.now();
    child.kill('SIGTERM');
    running = false;
    await Promise.all(loops);
    expect(await serve.exit).toBe(0);
    const answered = outcomes.filter((o): o is { status: number; at: number } => 'status' in o);
    expect(answered.filter((o) => o.status !== 200)).toEqual([]);
    expect(answered.length).toBeGreaterThan(6);
    // Every failure is a refused or closed connection before any response, never a cut body.
    for (const o of outcomes)
      if ('error' in o)
        expect(o.error).toMatch(/ECONNREFUSED|ECONNRESET|other side closed|SocketError/);
    expect(answered.some((o) => o.at > signalled)).toBe(true);
    expect(serve.stderr()).toContain('SIGTERM');
  });
});
