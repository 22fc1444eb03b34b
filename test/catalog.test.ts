import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../src/contract/policy.js';
import { quoteString } from '../src/sql/fragment.js';
import { settle } from './util/pipeline.js';
import { entries, entry, tempDir, writeSnapshot, type Account } from './util/snapshot.js';

/**
 * `<warehouse>/catalog.sql` is portable: a copied or moved warehouse answers the same from a plain
 * DuckDB client (here @duckdb/node-api directly, no settle code in the session).
 */

const VIEWS = [
  'merchant_settlement_summary',
  'merchant_settlement_summary_versions',
  'rejects',
  'dq_results',
  'versions',
];

const A: Account = { account_id: 'A1', merchant_id: "M'1", shard_id: '00', currency: 'USD' };
const B: Account = { account_id: 'B1', merchant_id: 'M2', shard_id: '01', currency: 'EUR' };

let wh: string;

beforeAll(async () => {
  const snapshot = await tempDir();
  for (const [date, epoch] of [
    ['2026-04-05', 'e-1'],
    ['2026-04-06', 'e-2'],
  ] as const) {
    const on = { settlement_date: date, event_time: `${date} 12:00:00+00` };
    const rowsA = [
      ...entries(A, 1, 5, () => on),
      entry(A, 6, { ...on, amount_minor: 0 }), // rejected: bad_amount
    ];
    await writeSnapshot(
      snapshot,
      [A, B],
      {
        '00': { segments: [{ file: 's.parquet', first_seq: 1, last_seq: 6, rows: rowsA }] },
        '01': {
          segments: [
            { file: 's.parquet', first_seq: 1, last_seq: 3, rows: entries(B, 1, 3, () => on) },
          ],
        },
      },
      date,
    );
    wh ??= await tempDir();
    await settle(snapshot, {
      warehouse: wh,
      date,
      epoch,
      partitions: 1,
      policy: { ...DEFAULT_POLICY, max_reject_ratio_bps: 10_000 },
    });
  }
});

/** Every view's rows through catalog.sql in a fresh DuckDB, with `setup` run first. */
async function viewRows(catalogFile: string, setup: string[]): Promise<Record<string, unknown>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const statement of setup) await connection.run(statement);
    await connection.run(await readFile(catalogFile, 'utf8'));
    const all: Record<string, unknown> = {};
    for (const view of VIEWS)
      all[view] = (
        await connection.runAndReadAll(`SELECT * FROM ${view} ORDER BY ALL`)
      ).getRowObjectsJson();
    return all;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('catalog.sql', () => {
  it('holds no absolute path, and a moved warehouse answers every view with the same rows', async () => {
    const catalog = path.join(wh, 'catalog.sql');
    expect(await readFile(catalog, 'utf8')).not.toContain(wh);
    const before = await viewRows(catalog, [`SET file_search_path = ${quoteString(wh)}`]);
    expect((before['merchant_settlement_summary_versions'] as unknown[]).length).toBe(4);
    expect((before['merchant_settlement_summary'] as unknown[]).length).toBe(4);
    expect((before['rejects'] as unknown[]).length).toBe(2);
    expect((before['dq_results'] as unknown[]).length).toBeGreaterThanOrEqual(16);
    expect((before['versions'] as unknown[]).length).toBe(2);

    const moved = path.join(await tempDir(), 'copied warehouse');
    await rename(wh, moved);
    try {
      const movedCatalog = path.join(moved, 'catalog.sql');
      // From anywhere, with file_search_path naming the warehouse...
      expect(
        await viewRows(movedCatalog, [`SET file_search_path = ${quoteString(moved)}`]),
      ).toEqual(before);
      // ...or from the warehouse root as the working directory (cd <warehouse>; duckdb).
      const cwd = process.cwd();
      process.chdir(moved);
      try {
        expect(await viewRows(movedCatalog, [])).toEqual(before);
      } finally {
        process.chdir(cwd);
      }
    } finally {
      await rename(moved, wh);
    }
  });
});
