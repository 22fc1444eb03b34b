import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssertionResult, RunReport } from '../src/contract/run-report.js';
import { ExitCode, SettleError } from '../src/errors.js';
import { escapeHtml, html } from '../src/report/markup.js';
import { writeRunReport } from '../src/report/write.js';
import {
  openBrowser,
  saveScreenshot,
  skipBrowserTests,
  type BrowserSession,
} from './util/browser.js';
import { cli } from './util/cli.js';
import { groupedMajor } from './util/money.js';
import { repoRoot, settle } from './util/pipeline.js';
import { DATE, entries, entry, tempDir, writeSnapshot, type Account } from './util/snapshot.js';

/**
 * The HTML run report: rendered from a real published version of the fixture and from a real
 * failed run whose merchant id is hostile markup, checked as text, in headless Chromium, and
 * through `settle report`.
 */
const HOSTILE = `<script>alert(1)</script>&"'é`;

let warehouse: string;
let published: { dir: string; report: RunReport; assertions: AssertionResult[]; page: string };
let failed: { dir: string; page: string };
let browser: BrowserSession | undefined;

beforeAll(async () => {
  warehouse = await tempDir('settle-report-');
  // Chromium starts (two seconds) while the pipeline runs.
  const launching = skipBrowserTests ? undefined : openBrowser();
  try {
    await renderRuns();
  } finally {
    browser = await launching;
  }
});

afterAll(() => browser?.close());

async function renderRuns(): Promise<void> {
  const run = await settle(path.join(repoRoot, 'fixtures', 'snapshot'), { warehouse });
  const file = await writeRunReport(run.versionDir, 'published');
  published = {
    dir: run.versionDir,
    report: run.report,
    assertions: run.assertions,
    page: await readFile(file, 'utf8'),
  };
  const dir = await failedRunDir();
  failed = { dir, page: await readFile(await writeRunReport(dir, 'failed'), 'utf8') };
}

/** A run that fails `reject_ratio` (exit 3) with a hostile merchant id in its samples and rejects. */
async function failedRunDir(): Promise<string> {
  const hostile: Account = {
    account_id: 'A1',
    merchant_id: HOSTILE,
    shard_id: '00',
    currency: 'EUR',
  };
  const plain: Account = { account_id: 'B1', merchant_id: 'M1', shard_id: '01', currency: 'USD' };
  const snapshot = await writeSnapshot(await tempDir('settle-report-snap-'), [hostile, plain], {
    // A late replica flags the shard: its merchant shows in the incomplete_books sample.
    '00': {
      watermark: '2026-04-05T20:00:00Z',
      segments: [
        {
          file: 'seg-1.parquet',
          first_seq: 1,
          last_seq: 6,
          rows: [...entries(hostile, 1, 5), entry(hostile, 6, { customer_ref: null })],
        },
      ],
    },
    '01': {
      segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: 5, rows: entries(plain, 1, 5) }],
    },
  });
  const wh = await tempDir('settle-report-failed-');
  const error = await settle(snapshot, { warehouse: wh }).catch((err: unknown) => err);
  expect(error).toBeInstanceOf(SettleError);
  expect((error as SettleError).exitCode).toBe(ExitCode.assertionFailed);
  const runs = path.join(wh, '_runs');
  for (const sha of await readdir(runs))
    for (const attempt of await readdir(path.join(runs, sha, 'attempts')).catch(() => []))
      for (const version of await readdir(
        path.join(runs, sha, 'attempts', attempt, 'failed'),
      ).catch(() => []))
        return path.join(runs, sha, 'attempts', attempt, 'failed', version);
  throw new Error(`no failed run staged under ${runs}`);
}

/** The text of each cell of the totals row `measure`, by currency. */
function expectedTotals(report: RunReport, measure: string): string[] {
  return report.totals.map((t) => groupedMajor(BigInt(t[measure] as string), t.decimals));
}

describe('escapeHtml and the html template', () => {
  it('escapes the five characters that can end text or an attribute, and nothing else', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp; é ☃</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp; é ☃&lt;/a&gt;',
    );
    expect(escapeHtml('plain text 123')).toBe('plain text 123');
  });

  it('escapes every interpolated value but markup made by the template itself', () => {
    const cell = html`<b>${HOSTILE}</b>`;
    const values = [1, null, undefined, false, 'x'];
    expect(html`<i title="${HOSTILE}">${cell}${values}</i>`.text).toBe(
      `<i title="${escapeHtml(HOSTILE)}"><b>${escapeHtml(HOSTILE)}</b>1x</i>`,
    );
  });
});

describe('the HTML run report (text)', () => {
  it('is one self-contained document: no script, no external reference', () => {
    const { page } = published;
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).not.toMatch(/https?:|\/\/[a-z]/i);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|\ssrc=/i);
    const hrefs = [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.filter((h) => !h?.startsWith('#'))).toEqual([]);
    expect(page).toMatch(/http-equiv="Content-Security-Policy"\s+content="default-src 'none'/);
  });

  it('shows the version, lineage and exact totals of the run', () => {
    const { page, report } = published;
    for (const value of [report.version, report.manifest_sha256, report.lineage.input_epoch])
      expect(page).toContain(value);
    const row = page.match(/<tr class="money" data-measure="gross_inflow">(.*?)<\/tr>/s)?.[1] ?? '';
    const cells = [...row.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(cells).toEqual(expectedTotals(report, 'gross_inflow'));
    expect(report.totals.some((t) => t.decimals === 0)).toBe(true);
  });

  it('is rewritten when it differs from what this code renders, left alone when it does not', async () => {
    const file = path.join(published.dir, 'report.html');
    const before = await stat(file);
    await writeRunReport(published.dir, 'published');
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
    await writeFile(file, 'rendered by an older settle');
    await writeRunReport(published.dir, 'published');
    expect(await readFile(file, 'utf8')).toBe(published.page);
  });

  it('of a failed run says so and keeps a hostile merchant id as text', () => {
    const page = failed.page.replace(/\s+/g, ' ');
    expect(page).toContain('FAILED: not published');
    expect(page).toMatch(/data-assertion="reject_ratio" data-status="fail"/);
    expect(page).not.toContain('<script');
    // In the incomplete_books sample and among the reject examples.
    expect(page.split(escapeHtml(HOSTILE)).length - 1).toBeGreaterThanOrEqual(2);
  });
});

describe.skipIf(skipBrowserTests)('the HTML run report in headless Chromium', () => {
  it('renders the timeline, assertions, shards and totals of the fixture run; nothing is fetched', async () => {
    if (browser === undefined) throw new Error('no browser');
    const { page, errors, requests } = browser;
    const url = pathToFileURL(path.join(published.dir, 'report.html')).href;
    await page.goto(url);
    const { report, assertions } = published;

    const bars = await page.$$eval('#timeline g.task', (gs) =>
      gs.map((g) => ({
        task: g.getAttribute('data-task'),
        width: Number(g.querySelector('rect.bar')?.getAttribute('width')),
        title: g.querySelector('title')?.textContent ?? '',
      })),
    );
    expect(bars.map((b) => b.task).sort()).toEqual(report.timeline.map((t) => t.task).sort());
    for (const bar of bars) {
      expect(bar.width).toBeGreaterThan(0);
      expect(bar.title).toContain(bar.task);
    }
    expect(await page.locator('#timeline rect.bar').count()).toBe(report.timeline.length);

    const rows = await page.$$eval('#assertions-table > tbody > tr', (trs) =>
      trs.map(
        (tr) =>
          [tr.getAttribute('data-assertion'), tr.querySelector('.badge')?.textContent] as const,
      ),
    );
    const outcome = (a: AssertionResult): string =>
      a.status === 'pass' ? 'pass' : a.severity === 'error' ? 'FAIL' : 'warn';
    expect(new Map(rows)).toEqual(new Map(assertions.map((a) => [a.name, outcome(a)])));
    expect(rows).toHaveLength(assertions.length);
    expect(rows.some(([, status]) => status === 'warn')).toBe(true);

    const shards = await page.$$eval('#shards-table > tbody > tr', (trs) =>
      trs.map((tr) => ({
        shard: tr.getAttribute('data-shard'),
        incomplete: tr.classList.contains('incomplete'),
        read: tr.querySelectorAll('td')[0]?.textContent,
      })),
    );
    expect(shards).toEqual(
      report.shards.map((s) => ({
        shard: s.shard_id,
        incomplete: s.incomplete.length > 0,
        read: s.rows_read.toLocaleString('en-US'),
      })),
    );

    for (const measure of ['gross_inflow', 'net_inflow', 'available_balance'])
      expect(
        await page.$$eval(`#totals-table tr[data-measure="${measure}"] td`, (tds) =>
          tds.map((td) => td.textContent),
        ),
      ).toEqual(expectedTotals(report, measure));

    expect(await page.locator('#partitions rect.bar').count()).toBe(report.reduce.partitions);
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    const file = await saveScreenshot(page, 'run-report', { fullPage: false });
    console.log(`run report screenshot: ${file}`);
    if (process.env['UPDATE_SCREENSHOT'] === '1') {
      await mkdir(path.join(repoRoot, 'docs', 'img'), { recursive: true });
      await copyFile(file, path.join(repoRoot, 'docs', 'img', 'run-report.png'));
    }

    // A failed run's page: no script ran, the hostile id is on the page as text.
    await page.setContent(failed.page);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.textContent('#status')).toContain('FAILED');
    expect(await page.locator(`#rejects td:text-is(${JSON.stringify(HOSTILE)})`).count()).toBe(1);
    expect(errors).toEqual([]);
  });
});

describe('settle report', () => {
  const reportFile = (): string => path.join(published.dir, 'report.html');

  it("prints the path of the current version's report.html, writing it when missing", async () => {
    await rm(reportFile());
    const result = await cli(['report', '--date', DATE, '--warehouse', warehouse]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${reportFile()}\n`);
    expect(await readFile(reportFile(), 'utf8')).toBe(published.page);
  });

  it('copies it to --out FILE, or writes it to standard output with --out -', async () => {
    const out = path.join(await tempDir('settle-report-out-'), 'copy.html');
    const copied = await cli([
      'report',
      '--version',
      'v7811',
      '--out',
      out,
      '--warehouse',
      warehouse,
    ]);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout).toBe(`${out}\n`);
    expect(await readFile(out, 'utf8')).toBe(published.page);

    const piped = await cli(['report', '--date', DATE, '--out', '-', '--warehouse', warehouse]);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toBe(published.page);

    const json = await cli(['report', '--date', DATE, '--json', '--warehouse', warehouse]);
    expect(JSON.parse(json.stdout)).toEqual({
      version: 'v7811',
      settlement_date: DATE,
      report: reportFile(),
      out: reportFile(),
    });
  });

  it('refuses an unknown version, a date without one and --json with --out - (exit 2, one line)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--version', 'v9999'], /^settle: --version: version v9999 does not exist/],
      [['--date', '2026-04-07'], /^settle: no current version for 2026-04-07/],
      [['--date', DATE, '--out', '-', '--json'], /^settle: --json cannot go with --out -/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(['report', ...args, '--warehouse', warehouse]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
  });
});
