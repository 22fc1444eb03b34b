import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDb } from '../src/db/duckdb.js';
import { quoteString } from '../src/sql/fragment.js';
import { SettleError } from '../src/errors.js';
import { entry, tempDir, writeSnapshot, type Account, type Entry } from './util/snapshot.js';
import { settle } from './util/pipeline.js';
import { withEnv } from './util/env.js';

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

describe('a key whose totals do not fit BIGINT fails the run naming it (exit 2, nothing published)', () => {
  const [a1, a2] = accounts as [Account, Account];
  const half = 2n ** 62n + 1n; // two of them: 2^63 + 2, one past the BIGINT range
  const past = '9223372036854775810';

  async function failure(
    shards: { '00': Entry[]; '01': Entry[] },
    env: Record<string, string> = {},
  ): Promise<SettleError> {
    const snap = await writeSnapshot(await tempDir(), accounts, {
      '00': { segments: segmentOf(shards['00']) },
      '01': { segments: segmentOf(shards['01']) },
    });
    const warehouse = await tempDir('settle-wh-');
    const error = await withEnv({ SETTLE_SCAN_TASK_BYTES: undefined, ...env }, () =>
      settle(snap, { warehouse }).then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(error).toBeInstanceOf(SettleError);
    const dir = path.join(warehouse, 'merchant_settlement_summary', 'date=2026-04-05');
    expect(await readdir(dir).catch(() => [])).toEqual([]);
    return error as SettleError;
  }

  const segmentOf = (rows: Entry[]) =>
    rows.length === 0 ? [] : [{ file: 'seg-1.parquet', first_seq: 1, last_seq: rows.length, rows }];

  const entryTotalPast = (type: string, column: string): string =>
    `merchant M1, currency USD: accepted ${type} amounts sum to ${past} minor units, past the BIGINT (int64) range of the per-type sums behind ${column}; nothing published`;
  const halves = (types: Entry['entry_type'][]): Entry[] =>
    types.map((type, i) => entry(a1, i + 1, { entry_type: type, amount_minor: half }));

  interface OverflowCase {
    name: string;
    shard00: Entry[];
    shard01?: Entry[];
    env?: Record<string, string>;
    message: string;
  }
  const cases: OverflowCase[] = [
    // One pre-aggregate group (an account's fees) is past the range already.
    {
      name: 'one group of one scan task',
      shard00: halves(['fee', 'fee']),
      message: entryTotalPast('fee', 'fees'),
    },
    // Each customer's group fits; the task's total for the key does not.
    {
      name: "a scan task's key total",
      shard00: [
        entry(a1, 1, { amount_minor: half, customer_ref: 'X' }),
        entry(a1, 2, { amount_minor: half, customer_ref: 'Y' }),
      ],
      message: entryTotalPast('charge', 'gross_inflow'),
    },
    // One scan task per shard: each task's total fits, the reduce task's does not.
    {
      name: "a reduce task's key total over two shards",
      shard00: [entry(a1, 1, { amount_minor: half })],
      shard01: [entry(a2, 1, { amount_minor: half })],
      env: { SETTLE_SCAN_TASK_BYTES: '1' },
      message: entryTotalPast('charge', 'gross_inflow'),
    },
    // chargebacks_net itself is 0; the chargeback sum it is computed from does not fit.
    {
      name: 'a per-type sum behind a net column',
      shard00: halves(['chargeback', 'chargeback', 'chargeback_reversal', 'chargeback_reversal']),
      message: entryTotalPast('chargeback', 'chargebacks_net'),
    },
    // Every summed column fits; net_inflow = ... + adjustments_net does not, nor what adds it up.
    {
      name: 'a derived column at assembly',
      shard00: [
        entry(a1, 1, { amount_minor: 2n ** 63n - 1n }),
        entry(a1, 2, { entry_type: 'adjustment_credit', amount_minor: 2n ** 63n - 1n }),
      ],
      message:
        'merchant M1, currency USD: net_inflow, available_delta, available_balance past the BIGINT (int64) range of the published money and count columns; nothing published',
    },
  ];

  it.each(cases)('$name', async ({ shard00, shard01 = [], env = {}, message }) => {
    const error = await failure({ '00': shard00, '01': shard01 }, env);
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(2);
  });
});
