import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { entries, tempDir, writeSnapshot, type Account } from './util/snapshot.js';
import { settle } from './util/pipeline.js';
import { cli } from './util/cli.js';
import { oneErrorLine, treeDigest } from './util/files.js';

const A: Account = { account_id: 'A1', merchant_id: "M'quote", shard_id: '00', currency: 'USD' };
const B: Account = { account_id: 'B1', merchant_id: 'M2', shard_id: '00', currency: 'EUR' };
let wh: string;
let dataFile: string;
const outside = path.join(path.sep, 'tmp', `settle-sql-out-${process.pid}.csv`);

beforeAll(async () => {
  wh = await tempDir();
  for (const [epoch, count] of [
    ['e-1', 5],
    ['e-2', 7],
  ] as const) {
    const rows = [...entries(A, 1, count), ...entries(B, count + 1, 3)];
    // An empty customer_ref on a refund: the CSV must tell it from NULL.
    if (epoch === 'e-2') rows[0] = { ...rows[0]!, entry_type: 'refund', customer_ref: '' };
    const snap = await writeSnapshot(await tempDir(), [A, B], {
      '00': { segments: [{ file: 's.parquet', first_seq: 1, last_seq: rows.length, rows }] },
    });
    const run = await settle(snap, { warehouse: wh, epoch });
    dataFile = path.join(run.versionDir, 'data', 'part-00000.parquet');
  }
});

const sql = (query: string, ...extra: string[]) => cli(['sql', query, '--warehouse', wh, ...extra]);

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
      '--json',
    );
    expect(JSON.parse(versions.stdout)).toEqual([
      { version: 'v1', is_current: false, row_count: '2' },
      { version: 'v2', is_current: true, row_count: '2' },
    ]);
    const dq = await sql(
      "SELECT count(*) AS n FROM dq_results WHERE version = 'v2' AND status = 'pass'",
      '--json',
    );
    expect(Number(JSON.parse(dq.stdout)[0].n)).toBeGreaterThanOrEqual(8);
    expect((await sql('SELECT count(*) AS n FROM rejects')).code).toBe(0);
    const table = await sql('SELECT 1 AS one');
    expect(table.stdout).toContain('(1 row)');
    const explain = await sql('EXPLAIN SELECT * FROM merchant_settlement_summary');
    expect(explain.code, explain.stderr).toBe(0);
  });

  it('--format csv writes NULL as an empty field and the empty string as ""', async () => {
    const result = await sql(
      "SELECT 'x' AS id, NULL::VARCHAR AS nothing, '' AS blank",
      '--format',
      'csv',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('id,nothing,blank\r\nx,,""\r\n');
  });

  const refused: Array<[string, () => string]> = [
    ['CREATE', () => 'CREATE TABLE t AS SELECT 1'],
    ['INSERT', () => 'INSERT INTO versions SELECT * FROM versions'],
    ['COPY', () => `COPY (SELECT 1) TO '${outside}'`],
    [
      'EXPLAIN ANALYZE COPY over a published data file',
      () => `EXPLAIN ANALYZE COPY (SELECT 42 AS x) TO '${dataFile}' (FORMAT parquet)`,
    ],
    ['EXPLAIN ANALYZE of a SELECT (it executes)', () => 'EXPLAIN ANALYZE SELECT 1'],
    [
      'EXPLAIN with a comment before ANALYZE',
      () => `EXPLAIN /* x */ ANALYZE COPY (SELECT 1) TO '${outside}'`,
    ],
    ['ATTACH', () => `ATTACH '${outside}.duckdb'`],
    ['SET', () => 'SET threads = 1'],
    ['PRAGMA', () => 'PRAGMA threads = 1'],
    ['CALL', () => 'CALL pragma_version()'],
    ['DROP', () => 'DROP VIEW merchant_settlement_summary'],
    ['a write after a read', () => `SELECT 1; COPY (SELECT 1) TO '${outside}'; SELECT 2`],
    ['second statement', () => 'SELECT 1; DELETE FROM versions'],
    ['EXPORT DATABASE', () => `EXPORT DATABASE '${outside}.dir'`],
    ['INSTALL', () => 'INSTALL httpfs'],
    ['CHECKPOINT', () => 'CHECKPOINT'],
    ['CREATE MACRO', () => 'CREATE MACRO m(x) AS x'],
    ['query() table function', () => `SELECT * FROM query('COPY (SELECT 1) TO ''${outside}''')`],
    ['file outside the warehouse', () => "SELECT * FROM read_csv('/etc/passwd')"],
  ];
  it('refuses every statement that is not a plain read, whatever its wrapping; nothing is written', async () => {
    const before = await treeDigest(wh);
    for (const [name, query] of refused) {
      const result = await sql(query());
      expect(result.code, `${name}: ${result.stderr}`).toBe(2);
      expect(oneErrorLine(result.stderr), name).toMatch(/^settle: query/);
    }
    expect(await treeDigest(wh)).toEqual(before);
    for (const suffix of ['', '.duckdb', '.dir'])
      expect(existsSync(`${outside}${suffix}`)).toBe(false);
    const refusal = await sql(refused[3]![1]());
    expect(refusal.stderr).toContain('refused: settle sql is read-only');
    const verify = await cli(['verify', '--version', 'v2', '--warehouse', wh]);
    expect(verify.code, verify.stderr).toBe(0);
  });

  it('an empty or blank query is a clear usage error', async () => {
    for (const query of ['', '   \n\t', '/* only a comment */']) {
      const result = await sql(query);
      expect(result.code).toBe(2);
      expect(oneErrorLine(result.stderr)).toContain('query: empty');
    }
  });

  it("keeps DuckDB's hints on the one error line", async () => {
    const result = await sql('SELECT merchant_idd FROM merchant_settlement_summary');
    expect(result.code).toBe(2);
    expect(oneErrorLine(result.stderr)).toMatch(
      /merchant_idd.*(Did you mean|Candidate).*merchant_id/,
    );
  });

  it('an empty warehouse answers with no rows; a missing or damaged one is exit 2', async () => {
    const empty = await cli([
      'sql',
      'SELECT count(*) AS n FROM merchant_settlement_summary',
      '--warehouse',
      await tempDir(),
      '--json',
    ]);
    expect(empty.code, empty.stderr).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual([{ n: '0' }]);
    const missing = path.join(await tempDir(), 'nope');
    const result = await cli(['sql', 'SELECT 1', '--warehouse', missing]);
    expect(result.code).toBe(2);
    expect(oneErrorLine(result.stderr)).toContain(missing);
    const file = path.join(await tempDir(), 'a-file');
    await writeFile(file, 'x');
    expect(oneErrorLine((await cli(['sql', 'SELECT 1', '--warehouse', file])).stderr)).toContain(
      'is a file',
    );
  });
});
