import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDb } from '../src/db/duckdb.js';
import { quoteString } from '../src/sql/fragment.js';
import { contentChecksum } from '../src/stages/publish.js';
import { entries, tempDir, writeSnapshot, type Account } from './util/snapshot.js';
import { settle } from './util/pipeline.js';
import { withEnv } from './util/env.js';

// Merchants hold accounts on several shards (M0: A0 on 00, A4 on 01, A8 on 02), so one key's
// totals come from several scan tasks when each shard is its own task.
const accounts: Account[] = Array.from({ length: 12 }, (_, i) => ({
  account_id: `A${i}`,
  merchant_id: `M${i % 4}`,
  shard_id: `0${i % 3}`,
  currency: i % 2 === 0 ? 'USD' : 'JPY',
}));

async function snapshot(): Promise<string> {
  const shards: Parameters<typeof writeSnapshot>[2] = {};
  for (const shard of ['00', '01', '02']) {
    const mine = accounts.filter((a) => a.shard_id === shard);
    const rows = mine.flatMap((a, k) =>
      entries(a, 1 + k * 200, 200, (seq) => ({
        entry_type: [
          'charge',
          'charge',
          'refund',
          'fee',
          'payout',
          'hold',
          'reserve',
          'chargeback',
        ][seq % 8],
        customer_ref: `C${(seq * 7) % 50}`,
      })),
    );
    shards[shard] = {
      segments: [
        { file: 'seg-1.parquet', first_seq: 1, last_seq: 150, rows: rows.slice(0, 150) },
        { file: 'seg-2.parquet', first_seq: 151, last_seq: rows.length, rows: rows.slice(150) },
      ],
    };
  }
  return writeSnapshot(await tempDir(), accounts, shards);
}

describe('content checksum', () => {
  it('is the same for different thread counts, reduce partition counts and salting', async () => {
    const snap = await snapshot();
    const plain = await settle(snap, { threads: 1, partitions: 1 });
    const wide = await settle(snap, { threads: 2, partitions: 7 });
    const unsalted = await settle(snap, { threads: 2, partitions: 7, salts: 1 });
    expect(wide.report.reduce.salts).toBe(7);
    expect(wide.contentChecksum).toBe(plain.contentChecksum);
    expect(unsalted.contentChecksum).toBe(plain.contentChecksum);
    expect(wide.rows).toEqual(plain.rows);
  });

  it('is the same with one scan task per shard: the reduce adds up keys with rows from several accounts or tasks and passes the rest through', async () => {
    const snap = await snapshot();
    const oneTask = await withEnv({ SETTLE_SCAN_TASK_BYTES: undefined }, () =>
      settle(snap, { partitions: 2 }),
    );
    const perShard = await withEnv({ SETTLE_SCAN_TASK_BYTES: '1' }, () =>
      settle(snap, { partitions: 2 }),
    );
    const scanTasks = (r: typeof oneTask) =>
      r.report.timeline.filter((t) => t.task.startsWith('scan')).length;
    expect(scanTasks(oneTask)).toBe(1);
    expect(scanTasks(perShard)).toBe(3);
    expect(perShard.contentChecksum).toBe(oneTask.contentChecksum);
    expect(perShard.rows).toEqual(oneTask.rows);
  });

  it('does not depend on file layout or row-group size, and changes when a value changes', async () => {
    const snap = await snapshot();
    const result = await settle(snap);
    const relaid = await tempDir();
    const relaidChecksum = await withDb({}, async (db) => {
      for (const part of ['data', 'rejects']) {
        await mkdir(path.join(relaid, part));
        const source = quoteString(path.join(result.versionDir, part, '*.parquet'));
        // Three files, rows in reverse order, row groups of two rows.
        for (let i = 0; i < 3; i++) {
          const target = quoteString(path.join(relaid, part, `f${i}.parquet`));
          await db.run(
            `COPY (SELECT * EXCLUDE (rn) FROM (SELECT *, row_number() OVER () AS rn FROM read_parquet(${source}, hive_partitioning = false)) WHERE rn % 3 = ${i} ORDER BY rn DESC) TO ${target} (FORMAT parquet, ROW_GROUP_SIZE 2)`,
          );
        }
      }
      return (await contentChecksum(db, relaid)).contentChecksum;
    });
    expect(relaidChecksum).toBe(result.contentChecksum);

    await withDb({}, async (db) => {
      const file = path.join(relaid, 'data', 'f0.parquet');
      await db.run(
        `COPY (SELECT * REPLACE (fees + 1 AS fees) FROM read_parquet(${quoteString(file)})) TO ${quoteString(`${file}.x`)} (FORMAT parquet)`,
      );
      await rename(`${file}.x`, file);
      expect((await contentChecksum(db, relaid)).contentChecksum).not.toBe(result.contentChecksum);
    });
  });
});
