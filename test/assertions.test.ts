import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/db/duckdb.js';
import { quoteString } from '../src/sql/fragment.js';
import { listAssertions, runAssertions } from '../src/stages/assertions.js';
import { DEFAULT_POLICY } from '../src/contract/policy.js';
import { entries, tempDir, writeSnapshot, type Account } from './util/snapshot.js';
import { settle } from './util/pipeline.js';

const A: Account = { account_id: 'A1', merchant_id: 'M1', shard_id: '00', currency: 'USD' };
const B: Account = { account_id: 'B1', merchant_id: 'M2', shard_id: '00', currency: 'EUR' };

let warehouse: string;
let snapshot: string;
let result: Awaited<ReturnType<typeof settle>>;

/** Recreates the tables the assertions read from a real, published run. */
async function stagedTables(): Promise<Db> {
  const db = await Db.open();
  const q = (p: string): string => quoteString(p);
  await db.run(
    `CREATE TEMP TABLE summary AS SELECT * FROM read_parquet(${q(path.join(result.versionDir, 'data', '*.parquet'))}, hive_partitioning = false)`,
  );
  await db.run(
    `CREATE TEMP TABLE shard_sums AS SELECT * FROM read_parquet(${q(path.join(warehouse, '_runs', '*', 'done', 'scan-*', 'sums.parquet'))}, hive_partitioning = false)`,
  );
  await db.run(
    `CREATE TEMP TABLE complete_segment_files AS SELECT DISTINCT filename AS file FROM read_parquet(${q(path.join(snapshot, 'shard=*', 'date=*', '*.parquet'))}, hive_partitioning = false, filename = true)`,
  );
  await db.run(
    'CREATE TEMP TABLE entry_id_occurrences (file VARCHAR, seq BIGINT, entry_id VARCHAR)',
  );
  await db.run('CREATE TEMP TABLE correction_entry_ids (entry_id VARCHAR, file VARCHAR)');
  await db.run(
    'CREATE TEMP TABLE scan_stats (shard_id VARCHAR, rows_read BIGINT, accepted BIGINT, rejected BIGINT, excluded BIGINT, duplicates_removed BIGINT)',
  );
  for (const s of result.report.shards) {
    await db.run('INSERT INTO scan_stats VALUES ($1, $2, $3, $4, $5, $6)', {
      1: s.shard_id,
      2: s.rows_read,
      3: s.accepted,
      4: s.rejected,
      5: s.excluded,
      6: s.duplicates_removed,
    });
  }
  await db.run(
    'CREATE TEMP TABLE opening (merchant_id VARCHAR, currency VARCHAR, available_balance BIGINT, holds_balance BIGINT, reserve_balance BIGINT)',
  );
  await db.run(
    "CREATE TEMP TABLE run_params AS SELECT DATE '2026-04-05' AS settlement_date, 20::BIGINT AS min_charges, 100::BIGINT AS chargeback_ratio_bps, 100::BIGINT AS max_reject_ratio_bps, false AS require_complete_books",
  );
  return db;
}

beforeAll(async () => {
  warehouse = await tempDir();
  const rows = entries(A, 1, 60, (seq) => ({
    entry_type: seq % 3 === 0 ? 'fee' : 'charge',
    customer_ref: `C${seq % 7}`,
  }));
  const rowsB = entries(B, 61, 40, (seq) => ({ entry_type: seq % 2 === 0 ? 'payout' : 'charge' }));
  snapshot = await writeSnapshot(await tempDir(), [A, B], {
    '00': {
      segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: 100, rows: [...rows, ...rowsB] }],
    },
  });
  result = await settle(snapshot, { warehouse });
});

/** Each assertion: the SQL that breaks exactly the rule it guards. */
const breakers: Record<string, string> = {
  unique_keys: 'INSERT INTO summary SELECT * FROM summary LIMIT 1',
  unique_entry_id:
    "INSERT INTO entry_id_occurrences SELECT file, 1, 'E-00-1' FROM complete_segment_files UNION ALL SELECT 'other-segment.parquet', 1, 'E-00-1'; INSERT INTO complete_segment_files VALUES ('other-segment.parquet')",
  conservation:
    "UPDATE summary SET fees = fees + 1, net_inflow = net_inflow - 1, available_delta = available_delta - 1, available_balance = available_balance - 1 WHERE merchant_id = 'M1'",
  accounting_identities: 'UPDATE summary SET payout_eligible = NOT payout_eligible',
  opening_carried_forward: "INSERT INTO opening VALUES ('M9', 'USD', 0, 0, 0)",
  row_accounting: 'UPDATE scan_stats SET excluded = excluded + 1',
  reject_ratio: 'UPDATE scan_stats SET rejected = 2, rows_read = rows_read + 2',
  incomplete_books:
    "UPDATE summary SET books_complete = false, incomplete_reason = 'missing_segment:00', payout_eligible = false",
};

describe('data-quality assertions (sql/assertions): each passes on a real run and fails when its rule is broken', () => {
  it('every assertion file has a breaker in this test', () => {
    expect(
      listAssertions(DEFAULT_POLICY)
        .map((a) => a.name)
        .sort(),
    ).toEqual(Object.keys(breakers).sort());
  });

  for (const [name, breaker] of Object.entries(breakers)) {
    it(name, async () => {
      const db = await stagedTables();
      try {
        const before = await runAssertions(db, DEFAULT_POLICY);
        expect(before.filter((a) => a.status === 'fail').map((a) => a.name)).toEqual([]);
        await db.run(breaker);
        const after = await runAssertions(db, DEFAULT_POLICY);
        const failed = after.find((a) => a.name === name);
        expect(failed?.status, `assertion ${name} did not fail after: ${breaker}`).toBe('fail');
        expect(failed?.violating_rows).toBeGreaterThan(0);
        expect(failed?.sample.length).toBeGreaterThan(0);
      } finally {
        db.close();
      }
    });
  }

  it('unique_entry_id also counts accepted correction rows: one id twice in corrections fails', async () => {
    const db = await stagedTables();
    try {
      await db.run(
        "INSERT INTO correction_entry_ids VALUES ('C-1', 'late.parquet'), ('C-2', 'late.parquet')",
      );
      const once = (await runAssertions(db, DEFAULT_POLICY)).find(
        (a) => a.name === 'unique_entry_id',
      );
      expect(once?.status).toBe('pass');
      await db.run("INSERT INTO correction_entry_ids VALUES ('C-1', 'late.parquet')");
      const twice = (await runAssertions(db, DEFAULT_POLICY)).find(
        (a) => a.name === 'unique_entry_id',
      );
      expect(twice?.status).toBe('fail');
      expect(twice?.sample[0]).toMatchObject({ entry_id: 'C-1' });
    } finally {
      db.close();
    }
  });

  it('incomplete books are a warning by default and an error when policy requires complete books', async () => {
    const db = await stagedTables();
    try {
      await db.run(breakers['incomplete_books']!);
      const lenient = (await runAssertions(db, DEFAULT_POLICY)).find(
        (a) => a.name === 'incomplete_books',
      );
      expect(lenient?.severity).toBe('warn');
      const strict = (
        await runAssertions(db, { ...DEFAULT_POLICY, require_complete_books: true })
      ).find((a) => a.name === 'incomplete_books');
      expect(strict?.severity).toBe('error');
    } finally {
      db.close();
    }
  });
});
