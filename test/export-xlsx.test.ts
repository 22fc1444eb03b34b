import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { errorLines } from './util/files.js';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { readSheet } from 'read-excel-file/node';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PUBLISHED_COLUMNS } from '../src/contract/columns.js';
import { decimalsFormat, exactCell, xlsxText } from '../src/commands/xlsx.js';
import { dosDateTime } from '../src/util/zip-dates.js';
import { parseCsv } from './util/csv.js';
import { cli, type InProcessResult } from './util/cli.js';
import { readRows, repoRoot, settle } from './util/pipeline.js';
import { entry, tempDir, writeSnapshot, type Account, type Entry } from './util/snapshot.js';

/**
 * xlsx export and spreadsheet-safe CSV: every value must reach the spreadsheet unchanged. Checked
 * against the published Parquet rows with this file's own major-unit arithmetic (bigint), read
 * back by an independent reader (read-excel-file) and by a spreadsheet engine (gnumeric's
 * ssconvert; required under CI=true, skipped locally when missing).
 */

const account = (id: string, merchant: string, currency: string, shard = '00'): Account => ({
  account_id: id,
  merchant_id: merchant,
  shard_id: shard,
  currency,
});
const A = {
  zeros: account('A1', '007', 'USD'),
  formula: account('A2', '=1+2', 'JPY'),
  at: account('A3', '@SUM(A1)', 'BHD'),
  minus: account('A4', '-2+3', 'USD'),
  unicode: account('A5', 'Müller "Zürich" 😀, ;', 'EUR'),
  controls: account('A6', 'ctl\u0001\r\n_x0041_', 'USD'),
  tab: account('A7', '+tab\tx', 'CLF'),
  gold: account('A8', 'gold', 'XAU'),
  late: account('A9', 'late', 'USD', '01'),
};
const accounts = Object.values(A);

const OUT_OF_DOUBLE = 1234567890123456789n; // 19 digits: text in xlsx

let wh: string;
let published: Array<Record<string, unknown>>;
let exponents: Map<string, number>;

beforeAll(async () => {
  const charge = (a: Account, seq: number, amount: number | bigint): Entry =>
    entry(a, seq, { amount_minor: amount });
  const other = (a: Account, seq: number, type: string, amount: number): Entry =>
    entry(a, seq, { entry_type: type, amount_minor: amount, customer_ref: null });
  const rows00 = [
    charge(A.zeros, 1, 123456), // 1234.56
    other(A.zeros, 2, 'payout', 200000), // available -765.44
    charge(A.formula, 3, 5000),
    charge(A.at, 4, 5), // 0.005
    other(A.at, 5, 'fee', 12001), // net -11.996
    charge(A.minus, 6, 999_999_999_999_999), // 15 digits: 9999999999999.99, a number
    charge(A.unicode, 7, 1_000_000_000_000_000n), // 16 digits: text
    charge(A.controls, 8, OUT_OF_DOUBLE),
    charge(A.tab, 9, 12345), // CLF has 4 decimals: 1.2345
    charge(A.gold, 10, 7), // XAU has no exponent: 7
  ];
  const snapshot = await writeSnapshot(await tempDir(), accounts, {
    '00': {
      segments: [{ file: 's.parquet', first_seq: 1, last_seq: rows00.length, rows: rows00 }],
    },
    '01': {
      watermark: '2026-04-05T23:00:00Z', // late: books incomplete, incomplete_reason set
      segments: [{ file: 's.parquet', first_seq: 1, last_seq: 1, rows: [charge(A.late, 1, 100)] }],
    },
  });
  wh = await tempDir();
  const run = await settle(snapshot, { warehouse: wh, epoch: 'e-100', partitions: 1 });
  published = await readRows(path.join(run.versionDir, 'data'));
  const iso = await readFile(path.join(repoRoot, 'sql', 'reference', 'iso4217.csv'), 'utf8');
  exponents = new Map(
    iso
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','))
      .map(([code, exponent]) => [code as string, Number(exponent || 0)]),
  );
});

/** minor / 10^exponent as exact decimal text, by bigint arithmetic (independent of src/). */
function majorText(minor: bigint, exponent: number): string {
  const unit = 10n ** BigInt(exponent);
  const abs = minor < 0n ? -minor : minor;
  const whole = `${minor < 0n ? '-' : ''}${abs / unit}`;
  return exponent === 0 ? whole : `${whole}.${String(abs % unit).padStart(exponent, '0')}`;
}

const major = (name: string): string => `${name}_major`;
const headers = PUBLISHED_COLUMNS.map((c) => (c.kind === 'money' ? major(c.name) : c.name));
const fitsDouble = (minor: bigint): boolean => (minor < 0n ? -minor : minor) < 10n ** 15n;

/** What each published value must be in the sheet, column by column. */
function expectedCells(row: Record<string, unknown>): unknown[] {
  const exponent = exponents.get(row['currency'] as string) ?? 0;
  return PUBLISHED_COLUMNS.map((c) => {
    const value = row[c.name];
    if (value === null) return null;
    if (c.type === 'DATE') return value; // a Date at UTC midnight, as DuckDB reads it
    if (c.kind === 'money') {
      const text = majorText(value as bigint, exponent);
      return fitsDouble(value as bigint) ? Number(text) : text;
    }
    if (c.type === 'BIGINT') return Number(value);
    return value;
  });
}

/** `settle export --version v100 --warehouse W ...args`, in-process. */
function exportMain(args: string[], warehouse = wh): Promise<InProcessResult> {
  return cli(['export', '--version', 'v100', '--warehouse', warehouse, ...args]);
}

async function exportTo(file: string, ...args: string[]): Promise<string> {
  const result = await exportMain(['--out', file, ...args]);
  expect(result.code, result.stderr).toBe(0);
  return file;
}

const run = promisify(execFile);
async function ssconvert(): Promise<boolean> {
  try {
    await run('ssconvert', ['--version']);
    return true;
  } catch {
    if (process.env['CI'] === 'true')
      throw new Error('ssconvert (Debian package gnumeric) is required under CI=true');
    return false;
  }
}

describe('export --format xlsx', () => {
  it('cell rules: 15 digits are a number, more are text; OOXML escapes; decimals formats', () => {
    expect(exactCell('999999999999999')).toBe(999999999999999);
    expect(exactCell('-9999999999999.99')).toBe(-9999999999999.99);
    expect(exactCell('0.005')).toBe(0.005);
    expect(exactCell('0.000')).toBe(0);
    expect(exactCell('1000000000000000')).toBe('1000000000000000');
    expect(exactCell('-12345678901234567.89')).toBe('-12345678901234567.89');
    expect(() => exactCell('1e5')).toThrow();
    expect(xlsxText('plain "quoted" ü 😀\ttab\nlf')).toBe('plain "quoted" ü 😀\ttab\nlf');
    expect(xlsxText('a\rb\u0001c\u007fd')).toBe('a_x000D_b_x0001_c_x007F_d');
    expect(xlsxText('_x0041_ _X00aB_ _x12_')).toBe('_x005F_x0041_ _X00aB_ _x12_');
    expect(xlsxText('_x00aB_')).toBe('_x005F_x00aB_');
    expect([0, 2, 3, 4].map(decimalsFormat)).toEqual(['0', '0.00', '0.000', '0.0000']);
    expect(dosDateTime(new Date('2026-04-05T13:14:15Z'))).toEqual({
      time: (13 << 11) | (14 << 5) | 7,
      day: (46 << 9) | (4 << 5) | 5,
    });
  });

  it('read back by read-excel-file: header, text ids, real dates, integer counts, booleans, exact major units', async () => {
    const file = await exportTo(path.join(await tempDir(), 'v100.xlsx'), '--format', 'xlsx');
    const sheet = await readSheet(file, 'merchant_settlement_summary', { trim: false });
    expect(sheet[0]).toEqual(headers);
    expect(sheet.length - 1).toBe(published.length);
    published.forEach((row, i) =>
      expect(sheet[i + 1], String(row['merchant_id'])).toEqual(expectedCells(row)),
    );
    // The cases this file is about, spelled out.
    const byMerchant = new Map(sheet.slice(1).map((r) => [r[1], r]));
    const col = (name: string): number => headers.indexOf(name);
    expect(byMerchant.get('007')?.[col(major('available_balance'))]).toBe(-765.44);
    expect(byMerchant.get('@SUM(A1)')?.[col(major('net_inflow'))]).toBe(-11.996);
    expect(byMerchant.get('-2+3')?.[col(major('gross_inflow'))]).toBe(9999999999999.99);
    expect(byMerchant.get('Müller "Zürich" 😀, ;')?.[col(major('gross_inflow'))]).toBe(
      '10000000000000.00',
    );
    expect(byMerchant.get('ctl\u0001\r\n_x0041_')?.[col(major('gross_inflow'))]).toBe(
      '12345678901234567.89',
    );
    expect(byMerchant.get('+tab\tx')?.[col(major('gross_inflow'))]).toBe(1.2345);
    expect(byMerchant.get('late')?.[col('incomplete_reason')]).toBe('replica_lag:01');
    expect(byMerchant.get('007')?.[col('settlement_date')]).toEqual(
      new Date('2026-04-05T00:00:00Z'),
    );
    const about = await readSheet(file, 'export');
    expect(about).toContainEqual(['version', 'v100']);
    expect(about).toContainEqual(['recorded_checksum', expect.stringMatching(/^[0-9a-f]{64}$/)]);
  });

  it('converted by gnumeric: formatted values equal minor / 10^exponent as text, ids are strings, header pane frozen', async (ctx) => {
    if (!(await ssconvert())) return ctx.skip();
    const dir = await tempDir();
    const file = await exportTo(path.join(dir, 'v100.xlsx'), '--format', 'xlsx');
    const csv = path.join(dir, 'gnumeric.csv');
    await run('ssconvert', [
      '--export-type=Gnumeric_stf:stf_assistant',
      '-O',
      'format=preserve separator=, eol=unix quoting-mode=auto sheet=merchant_settlement_summary',
      file,
      csv,
    ]);
    // gnumeric writes negative numbers with the typographic minus sign U+2212.
    const [header, ...rows] = parseCsv((await readFile(csv, 'utf8')).replace(/\u2212(?=\d)/g, '-'));
    expect(header).toEqual(headers);
    // gnumeric shows what the xlsx stores: it does not decode ECMA-376 _xHHHH_ escapes (Excel does).
    const shown = (id: string): string =>
      id === A.controls.merchant_id ? 'ctl_x0001__x000D_\n_x005F_x0041_' : id;
    expect(rows).toEqual(
      published.map((row) => {
        const exponent = exponents.get(row['currency'] as string) ?? 0;
        return PUBLISHED_COLUMNS.map((c) => {
          const value = row[c.name];
          if (value === null) return null;
          if (c.kind === 'money') return majorText(value as bigint, exponent);
          if (c.type === 'BOOLEAN') return value ? 'TRUE' : 'FALSE';
          if (c.name === 'merchant_id') return shown(value as string);
          if (c.type === 'DATE') return (value as Date).toISOString().slice(0, 10);
          return String(value);
        });
      }),
    );
    // Cell types as gnumeric loaded them (60 string, 40 number, 20 boolean) and the frozen pane.
    const native = path.join(dir, 'v100.gnumeric');
    await run('ssconvert', [file, native]);
    const xml = gunzipSync(await readFile(native)).toString('utf8');
    expect(xml).toMatch(/<gnm:FreezePanes FrozenTopLeft="A1" UnfrozenTopLeft="D2"\/>/);
    const typeOf = (row: number, colName: string): string | undefined =>
      new RegExp(
        `<gnm:Cell Row="${row}" Col="${headers.indexOf(colName)}" ValueType="(\\d+)"`,
      ).exec(xml)?.[1];
    const rowOf = (merchant: string): number =>
      published.findIndex((r) => r['merchant_id'] === merchant) + 1;
    expect(typeOf(rowOf('007'), 'merchant_id')).toBe('60');
    expect(typeOf(rowOf('007'), major('gross_inflow'))).toBe('40');
    expect(typeOf(rowOf('007'), 'entry_count')).toBe('40');
    expect(typeOf(rowOf('007'), 'books_complete')).toBe('20');
    expect(typeOf(rowOf('=1+2'), 'merchant_id')).toBe('60');
    expect(typeOf(rowOf(A.unicode.merchant_id), major('gross_inflow'))).toBe('60');
  });

  it('is deterministic: the same pinned version gives the same bytes whatever the clock says', async () => {
    const dir = await tempDir();
    const bytes: Buffer[] = [];
    for (const now of ['2031-01-01T10:00:00Z', '2040-06-15T17:43:21Z']) {
      vi.useFakeTimers({ toFake: ['Date'], now: new Date(now) });
      try {
        bytes.push(
          await readFile(
            await exportTo(path.join(dir, `${bytes.length}.xlsx`), '--format', 'xlsx'),
          ),
        );
      } finally {
        vi.useRealTimers();
      }
    }
    expect(bytes[0]!.equals(bytes[1]!)).toBe(true);
  });

  it('--amounts minor writes integer minor units under the published names', async () => {
    const file = await exportTo(
      path.join(await tempDir(), 'minor.xlsx'),
      '--format',
      'xlsx',
      '--amounts',
      'minor',
    );
    const [header, ...rows] = await readSheet(file, 'merchant_settlement_summary', {
      trim: false,
    });
    expect(header).toEqual(PUBLISHED_COLUMNS.map((c) => c.name));
    const at = rows.find((r) => r[1] === '@SUM(A1)');
    expect(at?.[PUBLISHED_COLUMNS.findIndex((c) => c.name === 'net_inflow')]).toBe(-11996);
  });
});

describe('export --format csv --excel', () => {
  it('neutralises formula-like text with a leading quote; numbers (negative amounts too) stay numbers; BOM kept', async () => {
    const dir = await tempDir();
    for (const amounts of ['minor', 'major']) {
      const file = await exportTo(
        path.join(dir, `${amounts}.csv`),
        '--format',
        'csv',
        '--excel',
        '--amounts',
        amounts,
      );
      const bytes = await readFile(file);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
      expect(header).toEqual(amounts === 'major' ? headers : PUBLISHED_COLUMNS.map((c) => c.name));
      const ids = rows.map((r) => r[1]);
      expect(ids).toEqual(
        expect.arrayContaining([
          "'=1+2",
          "'@SUM(A1)",
          "'-2+3",
          "'+tab\tx",
          '007',
          'late',
          A.unicode.merchant_id,
        ]),
      );
      const row007 = rows.find((r) => r[1] === '007')!;
      const balance = header!.indexOf(
        amounts === 'major' ? major('available_balance') : 'available_balance',
      );
      expect(row007[balance]).toBe(amounts === 'major' ? '-765.44' : '-76544');
      // Every row, every column: the plain export with the rule applied to text columns only.
      const plainFile = path.join(dir, `${amounts}-plain.csv`);
      await exportTo(plainFile, '--format', 'csv', '--amounts', amounts);
      const plain = parseCsv(await readFile(plainFile, 'utf8')).slice(1);
      const text = new Set(
        PUBLISHED_COLUMNS.filter((c) => c.type === 'VARCHAR').map((c) => c.name),
      );
      expect(rows).toEqual(
        plain.map((r) =>
          r.map((v, i) =>
            v !== null && text.has(PUBLISHED_COLUMNS[i]!.name) && /^[=+\-@\t\r]/.test(v)
              ? `'${v}`
              : v,
          ),
        ),
      );
    }
  });
});

describe('export arguments and output', () => {
  it('--out: a missing directory, a directory, an empty path or a device are refused (exit 2 naming --out) before any work', async () => {
    const dir = await tempDir();
    const cases: Array<[string, RegExp]> = [
      [path.join(dir, 'missing', 'x.csv'), /--out .*directory .* does not exist/],
      [dir, /--out .* is a directory/],
      [`${path.join(dir, 'new')}/`, /--out .* is a directory/],
      ['', /--out: empty path/],
      ['/dev/null', /--out \/dev\/null exists and is not a regular file/],
    ];
    for (const [out, message] of cases) {
      // A warehouse that does not exist: had the command done any work first, it would say so.
      const result = await exportMain(['--format', 'csv', '--out', out], path.join(dir, 'nowhere'));
      expect(result.code, out).toBe(2);
      expect(errorLines(result.stderr), out).toHaveLength(1);
      expect(result.stderr, out).toMatch(message);
    }
  });

  it('format and unit combinations that make no sense are refused (exit 2)', async () => {
    const out = path.join(await tempDir(), 'x');
    for (const args of [
      ['--format', 'xls'],
      ['--format', 'parquet', '--amounts', 'major'],
      ['--format', 'xlsx', '--excel'],
      ['--format', 'csv', '--amounts', 'cents'],
      ['--format', 'csv', '--json', '--out', '-'],
    ]) {
      const result = await exportMain(['--out', out, ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^settle: /);
    }
  });

  it('--out - writes the file to standard output (csv, xlsx bytes), messages to standard error', async () => {
    const dir = await tempDir();
    for (const format of ['csv', 'xlsx', 'parquet']) {
      const file = await exportTo(path.join(dir, `v100.${format}`), '--format', format);
      const result = await exportMain(['--format', format, '--out', '-']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdoutBytes.equals(await readFile(file)), format).toBe(true);
      expect(result.stderr).toContain('to standard output');
    }
  });

  it('--json names the checksum it read, recorded_checksum, and claims no other', async () => {
    const out = path.join(await tempDir(), 'x.csv');
    const result = await exportMain(['--format', 'csv', '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    const success = JSON.parse(
      await readFile(
        path.join(wh, 'merchant_settlement_summary', 'date=2026-04-05', 'v100', '_SUCCESS'),
        'utf8',
      ),
    ) as { content_checksum: string };
    expect(json['recorded_checksum']).toBe(success.content_checksum);
    expect(Object.keys(json).filter((k) => k.includes('checksum'))).toEqual(['recorded_checksum']);
  });
});
