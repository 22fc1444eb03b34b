import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDb } from '../src/db/duckdb.js';
import { quoteString } from '../src/sql/fragment.js';
import { entry, tempDir, writeSnapshot, type Account } from './util/snapshot.js';
import { settle } from './util/pipeline.js';

// 2^53 + 1 and neighbours: the first integers a double cannot hold. Any float on the way (an
// intermediate Parquet column, a JS number) rounds them and the sums below come out wrong.
const BIG = 2n ** 53n + 1n;

const accounts: Account[] = [
  { account_id: 'A1', merchant_id: 'M1', shard_id: '00', currency: 'USD' },
  { account_id: 'A2', merchant_id: 'M1', shard_id: '01', currency: 'USD' },
];

async function snapshot(): Promise<string> {
  const [a1, a2] = accounts as [Account, Account];
  const shard00 = [
    entry(a1, 1, { amount_minor: BIG, customer_ref: 'C1' }),
    entry(a1, 2, { amount_minor: BIG + 2n, customer_ref: 'C2' }),
    entry(a1, 3, { entry_type: 'refund', amount_minor: BIG + 4n }),
    entry(a1, 4, { entry_type: 'hold', amount_minor: BIG }),
  ];
  const shard01 = [
    entry(a2, 1, { amount_minor: BIG + 6n, customer_ref: 'C1' }),
    entry(a2, 2, { entry_type: 'hold_release', amount_minor: 3n }),
    entry(a2, 3, { entry_type: 'fee', amount_minor: 1n }),
  ];
  return writeSnapshot(await tempDir(), accounts, {
    '00': { segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: 4, rows: shard00 }] },
    '01': { segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: 3, rows: shard01 }] },
  });
}

async function parquetFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const item of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (item.isFile() && item.name.endsWith('.parquet'))
      found.push(path.join(item.parentPath, item.name));
  }
  return found;
}

describe('money is exact integers end to end', () => {
  it('sums beyond 2^53 across shards come out exact in every published column', async () => {
    const warehouse = await tempDir('settle-wh-');
    const result = await settle(await snapshot(), { warehouse, partitions: 3 });
    expect(result.rows).toHaveLength(1);
    const row = result.rows[0] as Record<string, unknown>;
    const gross = BIG + (BIG + 2n) + (BIG + 6n);
    const refunds = BIG + 4n;
    const fees = 1n;
    const holds = BIG - 3n;
    const net = gross - refunds - fees;
    expect(row).toMatchObject({
      entry_count: 7n,
      charge_count: 3n,
      gross_inflow: gross,
      refunds,
      fees,
      net_inflow: net,
      holds_delta: holds,
      available_delta: net - holds,
      available_balance: net - holds,
      holds_balance: holds,
      distinct_customers: 2n,
    });
  });

  it('no intermediate or published Parquet file holds a floating-point column', async () => {
    const warehouse = await tempDir('settle-wh-');
    await settle(await snapshot(), { warehouse, partitions: 3 });
    const files = await parquetFiles(warehouse);
    expect(files.length).toBeGreaterThan(5);
    const floating = await withDb({}, async (db) => {
      const hits: string[] = [];
      for (const file of files) {
        const columns = await db.all<{ name: string; type: string | null }>(
          `SELECT name, type FROM parquet_schema(${quoteString(file)})`,
        );
        for (const c of columns)
          if (c.type === 'DOUBLE' || c.type === 'FLOAT')
            hits.push(`${path.relative(warehouse, file)}: ${c.name}`);
      }
      return hits;
    });
    expect(floating).toEqual([]);
  });
});
