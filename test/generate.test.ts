import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDb } from '../src/db/duckdb.js';
import { quoteString } from '../src/sql/fragment.js';
import { generateSnapshot, type GenerateOptions } from '../src/generate/generate.js';
import { runCli, settle } from './util/pipeline.js';
import { tempDir } from './util/snapshot.js';

async function generate(overrides: Partial<GenerateOptions> = {}): Promise<string> {
  const out = path.join(await tempDir(), 'snap');
  await withDb({}, (db) =>
    generateSnapshot(db, {
      out,
      shards: 4,
      merchants: 50,
      entries: 5000,
      currencies: ['USD', 'EUR', 'JPY'],
      skew: 0,
      seed: 3,
      date: '2026-04-05',
      segmentRows: 700,
      faults: [],
      ...overrides,
    }),
  );
  return out;
}

async function fileHashes(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(root, full)] = createHash('sha256')
      .update(await readFile(full))
      .digest('hex');
  }
  return out;
}

describe('settle generate', () => {
  it('is deterministic: the same options write byte-identical files', async () => {
    const a = await generate({ faults: ['exact_duplicates', 'reject_rows', 'short_segment'] });
    const b = await generate({ faults: ['exact_duplicates', 'reject_rows', 'short_segment'] });
    expect(await fileHashes(a)).toEqual(await fileHashes(b));
    expect(await fileHashes(await generate({ seed: 4 }))).not.toEqual(await fileHashes(a));
  });

  it('writes the SPEC layout and column types, with contiguous seq per shard', async () => {
    const out = await generate();
    const index = JSON.parse(
      await readFile(path.join(out, 'shard=01', 'date=2026-04-05', '_segments.json'), 'utf8'),
    ) as {
      segments: Array<{ file: string; first_seq: number; last_seq: number; row_count: number }>;
    };
    await withDb({}, async (db) => {
      const files = index.segments.map((s) =>
        quoteString(path.join(out, 'shard=01', 'date=2026-04-05', s.file)),
      );
      const columns = await db.all<{ column_name: string; column_type: string }>(
        `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${files[0]}, hive_partitioning = false))`,
      );
      expect(columns.map((c) => `${c.column_name}:${c.column_type}`)).toEqual([
        'entry_id:VARCHAR',
        'shard_id:VARCHAR',
        'seq:BIGINT',
        'account_id:VARCHAR',
        'merchant_id:VARCHAR',
        'customer_ref:VARCHAR',
        'entry_type:VARCHAR',
        'amount_minor:BIGINT',
        'currency:VARCHAR',
        'event_time:TIMESTAMP WITH TIME ZONE',
        'settlement_date:DATE',
      ]);
      const seqs = await db.one<{ n: bigint; lo: bigint; hi: bigint; d: bigint }>(
        `SELECT count(*) n, min(seq) lo, max(seq) hi, count(DISTINCT seq) d FROM read_parquet([${files.join(', ')}], hive_partitioning = false)`,
      );
      expect([seqs.lo, seqs.hi, seqs.d]).toEqual([1n, seqs.n, seqs.n]);
      expect(index.segments[0]!.first_seq).toBe(1);
      for (let i = 1; i < index.segments.length; i++)
        expect(index.segments[i]!.first_seq).toBe(index.segments[i - 1]!.last_seq + 1);
    });
  });

  it('--skew gives the top merchant that share of entries and of distinct customers', async () => {
    const out = await generate({ skew: 0.5, entries: 40_000, merchants: 400 });
    await withDb({}, async (db) => {
      const all = `read_parquet(${quoteString(path.join(out, 'shard=*', '*', '*.parquet'))}, hive_partitioning = false)`;
      const share = await db.one<{ entries: number; customers: number }>(`
        SELECT avg((merchant_id = 'M000000')::INT) AS entries,
               (SELECT count(DISTINCT customer_ref) FILTER (WHERE merchant_id = 'M000000') / count(DISTINCT customer_ref) FROM ${all}) AS customers
        FROM ${all}`);
      expect(share.entries).toBeCloseTo(0.5, 2);
      expect(share.customers).toBeGreaterThan(0.45);
      expect(share.customers).toBeLessThan(0.55);
    });
  });

  it('rejects unknown faults and bad arguments with exit 2', async () => {
    const bad = await runCli(['generate', '--out', await tempDir(), '--faults', 'meteor_strike']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown fault "meteor_strike"');
    expect((await runCli(['generate', '--out', await tempDir(), '--skew', '1.5'])).code).toBe(2);
  });
});

describe('salting skewed merchants', () => {
  it('keeps reduce partitions balanced (max/mean <= 1.5) where no salting is far worse, with the same checksum', async () => {
    const out = await generate({
      skew: 0.5,
      entries: 120_000,
      merchants: 2000,
      shards: 4,
      segmentRows: 50_000,
    });
    const salted = await settle(out, { partitions: 8 });
    const unsalted = await settle(out, { partitions: 8, salts: 1 });
    expect(salted.report.reduce.salts).toBe(8);
    expect(unsalted.report.reduce.salts).toBe(1);
    expect(salted.report.reduce.max_over_mean).toBeLessThanOrEqual(1.5);
    expect(unsalted.report.reduce.max_over_mean).toBeGreaterThan(3);
    expect(salted.contentChecksum).toBe(unsalted.contentChecksum);
    const top = salted.rows.filter((r) => r['merchant_id'] === 'M000000');
    expect(top.reduce((a, r) => a + Number(r['distinct_customers']), 0)).toBeGreaterThan(1000);
  });
});
