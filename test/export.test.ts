import { createHash } from 'node:crypto';
import { cp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../src/db/duckdb.js';
import { quoteString } from '../src/sql/fragment.js';
import { entries, entry, tempDir, writeSnapshot, type Account } from './util/snapshot.js';
import { exportCli, readRows, settleCli } from './util/pipeline.js';

const accounts: Account[] = [
  { account_id: 'A1', merchant_id: 'M,"comma"', shard_id: '00', currency: 'USD' },
  { account_id: 'A2', merchant_id: 'M-jpy', shard_id: '00', currency: 'JPY' },
  { account_id: 'A3', merchant_id: 'M-bhd', shard_id: '00', currency: 'BHD' },
  { account_id: 'A4', merchant_id: 'M\nnewline', shard_id: '00', currency: 'USD' },
];

let wh: string;

beforeAll(async () => {
  wh = await tempDir();
  const [usd, jpy, bhd, nl] = accounts as [Account, Account, Account, Account];
  const rows = [
    entry(usd, 1, { amount_minor: 123456 }), // charge 1234.56
    entry(usd, 2, { entry_type: 'payout', amount_minor: 200000, customer_ref: null }), // available -765.44
    entry(jpy, 3, { amount_minor: 5000 }),
    entry(bhd, 4, { amount_minor: 5 }), // 0.005
    entry(bhd, 5, { entry_type: 'fee', amount_minor: 12001, customer_ref: null }),
    ...entries(nl, 6, 3),
  ];
  const snapshot = await writeSnapshot(await tempDir(), accounts, {
    '00': { segments: [{ file: 's.parquet', first_seq: 1, last_seq: rows.length, rows }] },
  });
  const run = await settleCli(snapshot, '2026-04-05', 'e-100', wh);
  expect(run.code, run.stderr).toBe(0);
});

const sha = async (file: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

describe('settle export', () => {
  it('CSV in minor units: RFC 4180 quoting, CRLF, header, published order, names the version it exported', async () => {
    const out = path.join(await tempDir(), 'x.csv');
    const result = await exportCli(wh, '--date', '2026-04-05', '--format', 'csv', '--out', out);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('exported v100');
    const text = await readFile(out, 'utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toMatch(/^settlement_date,merchant_id,currency,entry_count,/);
    expect(text).toContain('2026-04-05,"M,""comma""",USD,2,1,123456,');
    expect(text).toContain('"M\nnewline"');
    expect(text.endsWith('\r\n')).toBe(true);
    // Published order is byte order of merchant_id: "M\n..." < "M,..." < "M-bhd" < "M-jpy".
    const order = [...text.matchAll(/^2026-04-05,("(?:[^"]|"")*"|[^,]*),/gm)].map((m) => m[1]);
    expect(order).toEqual(['"M\nnewline"', '"M,""comma"""', 'M-bhd', 'M-jpy']);
  });

  it('--amounts major converts exactly by ISO 4217 exponent (JPY 0, USD 2, BHD 3), negatives included', async () => {
    const out = path.join(await tempDir(), 'major.csv');
    const result = await exportCli(
      wh,
      '--date',
      '2026-04-05',
      '--format',
      'csv',
      '--amounts',
      'major',
      '--out',
      out,
    );
    expect(result.code, result.stderr).toBe(0);
    const text = await readFile(out, 'utf8');
    const header = text.split('\r\n')[0]!.split(',');
    const find = (merchant: string): Record<string, string> => {
      const line = text.split('\r\n').find((l) => l.includes(`,${merchant},`))!;
      const values = line.split(',');
      return Object.fromEntries(header.map((h, i) => [h, values[i]!]));
    };
    // The header says the units: money columns in major units are named <column>_major.
    expect(header).toContain('gross_inflow_major');
    expect(header).not.toContain('gross_inflow');
    expect(find('M-jpy')['gross_inflow_major']).toBe('5000');
    expect(find('M-bhd')['gross_inflow_major']).toBe('0.005');
    expect(find('M-bhd')['fees_major']).toBe('12.001');
    expect(find('M-bhd')['net_inflow_major']).toBe('-11.996');
    // Counts stay integers.
    expect(find('M-bhd')['entry_count']).toBe('2');
  });

  it('the same pinned version exports to byte-identical files; --excel adds a BOM; parquet round-trips', async () => {
    const dir = await tempDir();
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    for (const out of [a, b])
      expect((await exportCli(wh, '--version', 'v100', '--format', 'csv', '--out', out)).code).toBe(
        0,
      );
    expect(await sha(a)).toBe(await sha(b));
    const excel = path.join(dir, 'excel.csv');
    expect(
      (await exportCli(wh, '--version', 'v100', '--format', 'csv', '--excel', '--out', excel)).code,
    ).toBe(0);
    const bytes = await readFile(excel);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).equals(await readFile(a))).toBe(true);
    const pq = path.join(dir, 'out.parquet');
    expect(
      (await exportCli(wh, '--date', '2026-04-05', '--format', 'parquet', '--out', pq)).code,
    ).toBe(0);
    const published = await readRows(
      path.join(wh, 'merchant_settlement_summary', 'date=2026-04-05', 'v100', 'data'),
    );
    const exported = await withDb({}, (db) =>
      db.all(`SELECT * FROM read_parquet(${quoteString(pq)})`),
    );
    expect(exported).toEqual(published);
  });

  it('a version without _SUCCESS, an unknown version or a wrong date cannot be exported (exit 2)', async () => {
    const out = path.join(await tempDir(), 'x.csv');
    const unknown = await exportCli(wh, '--version', 'v999', '--format', 'csv', '--out', out);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('v999 does not exist');
    const wrongDate = await exportCli(
      wh,
      '--date',
      '2026-04-06',
      '--version',
      'v100',
      '--format',
      'csv',
      '--out',
      out,
    );
    expect(wrongDate.code).toBe(2);
    const copy = await tempDir();
    await cp(wh, copy, { recursive: true });
    await rm(path.join(copy, 'merchant_settlement_summary', 'date=2026-04-05', 'v100', '_SUCCESS'));
    const unpublished = await exportCli(copy, '--version', 'v100', '--format', 'csv', '--out', out);
    expect(unpublished.code).toBe(2);
    expect(unpublished.stderr).toContain('no _SUCCESS');
    const badFormat = await exportCli(wh, '--version', 'v100', '--format', 'xls', '--out', out);
    expect(badFormat.code).toBe(2);
  });
});
