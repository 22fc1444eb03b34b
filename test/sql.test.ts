import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { entries, tempDir, writeSnapshot, type Account } from './util/snapshot.js';
import { runCli, settleCli } from './util/pipeline.js';

const A: Account = { account_id: 'A1', merchant_id: "M'quote", shard_id: '00', currency: 'USD' };
const B: Account = { account_id: 'B1', merchant_id: 'M2', shard_id: '00', currency: 'EUR' };
let wh: string;

beforeAll(async () => {
  wh = await tempDir();
  for (const [epoch, count] of [
    ['e-1', 5],
    ['e-2', 7],
  ] as const) {
    const rows = [...entries(A, 1, count), ...entries(B, count + 1, 3)];
    const snap = await writeSnapshot(await tempDir(), [A, B], {
      '00': { segments: [{ file: 's.parquet', first_seq: 1, last_seq: rows.length, rows }] },
    });
    const run = await settleCli(snap, '2026-04-05', epoch, wh);
    expect(run.code, run.stderr).toBe(0);
  }
});

const sql = (query: string, ...extra: string[]) =>
  runCli(['sql', query, '--warehouse', wh, ...extra]);

describe('settle sql', () => {
  it('views: current summary, every version, rejects, dq_results, versions', async () => {
    const current = await sql(
      'SELECT merchant_id, entry_count FROM merchant_settlement_summary ORDER BY merchant_id',
      '--format',
      'json',
    );
    expect(current.code, current.stderr).toBe(0);
    expect(JSON.parse(current.stdout)).toEqual([
      { merchant_id: "M'quote", entry_count: '7' },
      { merchant_id: 'M2', entry_count: '3' },
    ]);
    const all = await sql(
      "SELECT version, entry_count FROM merchant_settlement_summary_versions WHERE merchant_id = 'M''quote' ORDER BY version",
      '--format',
      'csv',
    );
    expect(all.stdout).toBe('version,entry_count\r\nv1,5\r\nv2,7\r\n');
    const versions = await sql(
      'SELECT version, is_current, row_count FROM versions ORDER BY version',
      '--format',
      'json',
    );
    expect(JSON.parse(versions.stdout)).toEqual([
      { version: 'v1', is_current: false, row_count: '2' },
      { version: 'v2', is_current: true, row_count: '2' },
    ]);
    const dq = await sql(
      "SELECT count(*) AS n FROM dq_results WHERE version = 'v2' AND status = 'pass'",
      '--format',
      'json',
    );
    expect(Number(JSON.parse(dq.stdout)[0].n)).toBeGreaterThanOrEqual(8);
    expect((await sql('SELECT count(*) AS n FROM rejects')).code).toBe(0);
    const table = await sql('SELECT 1 AS one');
    expect(table.stdout).toContain('(1 row)');
  });

  const refused: Array<[string, string]> = [
    ['INSERT', 'CREATE TABLE t AS SELECT 1'],
    ['COPY', `COPY (SELECT 1) TO '${path.join('/tmp', 'settle-sql-out.csv')}'`],
    ['ATTACH', "ATTACH 'x.duckdb'"],
    ['SET', 'SET threads = 1'],
    ['DROP', 'DROP VIEW merchant_settlement_summary'],
    ['second statement', 'SELECT 1; DELETE FROM versions'],
    ['file outside the warehouse', "SELECT * FROM read_csv('/etc/passwd')"],
  ];
  for (const [name, query] of refused) {
    it(`is read-only: refuses ${name} with exit 2 and a clear line`, async () => {
      const result = await sql(query);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^settle: query: /);
    });
  }

  it('the warehouse is usable from a plain DuckDB client through the generated catalog.sql', async () => {
    const catalog = await readFile(path.join(wh, 'catalog.sql'), 'utf8');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    // catalog.sql holds paths relative to the warehouse root (test/catalog.test.ts).
    await connection.run(`SET file_search_path = '${wh.replaceAll("'", "''")}'`);
    await connection.run(catalog);
    const rows = (
      await connection.runAndReadAll(
        'SELECT version, merchant_id, entry_count FROM merchant_settlement_summary_versions ORDER BY version, merchant_id',
      )
    ).getRowObjectsJson();
    expect(rows).toEqual([
      { version: 'v1', merchant_id: "M'quote", entry_count: '5' },
      { version: 'v1', merchant_id: 'M2', entry_count: '3' },
      { version: 'v2', merchant_id: "M'quote", entry_count: '7' },
      { version: 'v2', merchant_id: 'M2', entry_count: '3' },
    ]);
    const current = (
      await connection.runAndReadAll(
        'SELECT count(*)::INTEGER AS n FROM merchant_settlement_summary',
      )
    ).getRowObjectsJson();
    expect(current).toEqual([{ n: 2 }]);
    connection.closeSync();
  });

  it('an empty warehouse still answers', async () => {
    const result = await runCli([
      'sql',
      'SELECT count(*) AS n FROM merchant_settlement_summary',
      '--warehouse',
      await tempDir(),
      '--format',
      'json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([{ n: '0' }]);
  });
});
