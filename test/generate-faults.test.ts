import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { withDb, type Db } from '../src/db/duckdb.js';
import { quoteString } from '../src/sql/fragment.js';
import {
  faultNames,
  generateSnapshot,
  type FaultName,
  type GenerateOptions,
  type GenerateReport,
} from '../src/generate/generate.js';
import type { SegmentIndex } from '../src/generate/segment-index.js';

const DATE = '2026-04-05';
const base: Omit<GenerateOptions, 'out'> = {
  shards: 17,
  merchants: 120,
  entries: 8000,
  currencies: ['USD', 'EUR', 'JPY'],
  skew: 0.3,
  seed: 5,
  date: DATE,
  segmentRows: 100,
  faults: [...faultNames],
};

const tempOut = async (): Promise<string> =>
  path.join(await mkdtemp(path.join(os.tmpdir(), 'settle-gen-')), 'snap');
const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

let out: string;
let report: GenerateReport;
const dirOf = (shard: string): string => path.join(out, `shard=${shard}`, `date=${DATE}`);
const hit = (fault: FaultName): { shard: string; dir: string; file: string } => {
  const f = report.faults.find((r) => r.fault === fault);
  if (f === undefined) throw new Error(`no report for ${fault}`);
  return { shard: f.shard, dir: dirOf(f.shard), file: f.file ?? '' };
};
const listed = (shard: string, file: string) =>
  report.shards.find((s) => s.shard_id === shard)?.segments.find((s) => s.file === file);
const readIndex = async (dir: string): Promise<SegmentIndex> =>
  JSON.parse(await readFile(path.join(dir, '_segments.json'), 'utf8')) as SegmentIndex;
const stats = (db: Db, file: string) =>
  db.one<{ n: bigint; seqs: bigint; lo: bigint; hi: bigint; ids: bigint }>(
    `SELECT count(*) n, count(DISTINCT seq) seqs, min(seq) lo, max(seq) hi, count(DISTINCT entry_id) ids FROM read_parquet(${quoteString(file)}, hive_partitioning = false)`,
  );

/** SPEC section 3's reject reasons in order, written independently of the pipeline's SQL. */
const classifyRejects = (file: string, accounts: string, iso: string): string => `
  SELECT reason, count(*) AS n FROM (
    SELECT CASE
      WHEN e.entry_type IS NULL OR e.entry_type NOT IN ('charge', 'refund', 'chargeback', 'chargeback_reversal', 'fee', 'payout', 'payout_failed', 'hold', 'hold_release', 'reserve', 'reserve_release', 'adjustment_credit', 'adjustment_debit') THEN 'unknown_entry_type'
      WHEN e.amount_minor IS NULL OR e.amount_minor <= 0 THEN 'bad_amount'
      WHEN e.currency IS NULL OR e.currency NOT IN (SELECT code FROM read_csv(${quoteString(iso)})) THEN 'bad_currency'
      WHEN coalesce(e.merchant_id, '') = '' OR coalesce(e.account_id, '') = '' THEN 'missing_key'
      WHEN a.account_id IS NULL THEN 'unknown_account'
      WHEN (a.merchant_id, a.shard_id, a.currency) IS DISTINCT FROM (e.merchant_id, e.shard_id, e.currency) THEN 'directory_mismatch'
      WHEN e.settlement_date IS DISTINCT FROM DATE '${DATE}' THEN 'out_of_window'
      WHEN e.entry_type = 'charge' AND coalesce(e.customer_ref, '') = '' THEN 'missing_customer_ref'
      ELSE 'accepted' END AS reason
    FROM read_parquet(${quoteString(file)}, hive_partitioning = false) e
    LEFT JOIN read_parquet(${quoteString(accounts)}) a USING (account_id)
  ) GROUP BY reason`;

beforeAll(async () => {
  out = await tempOut();
  report = await withDb({}, (db) => generateSnapshot(db, { out, ...base }));
});

describe('settle generate: each fault is visible in the files', () => {
  it('assigns fault j to shard 01 + j, one fault per shard, never shard 00', () => {
    expect(report.faults.map((f) => f.shard)).toEqual(
      faultNames.map((_, j) => String(j + 1).padStart(2, '0')),
    );
  });

  it('segment faults: missing file, short, long, seq gap', async () => {
    const missing = hit('missing_segment_file');
    expect(listed(missing.shard, missing.file)).toBeDefined();
    expect(await exists(path.join(missing.dir, missing.file))).toBe(false);
    await withDb({}, async (db) => {
      const count = async (fault: FaultName) => {
        const h = hit(fault);
        return {
          seg: listed(h.shard, h.file)!,
          got: await db.one<{ n: bigint; lo: bigint; hi: bigint; d: bigint }>(
            `SELECT count(*) n, min(seq) lo, max(seq) hi, count(DISTINCT seq) d FROM read_parquet(${quoteString(path.join(h.dir, h.file))})`,
          ),
        };
      };
      const short = await count('short_segment');
      expect(Number(short.got.n)).toBe(short.seg.row_count - 1);
      const long = await count('long_segment');
      expect([Number(long.got.n), Number(long.got.hi)]).toEqual([
        long.seg.row_count + 1,
        long.seg.last_seq + 1,
      ]);
      const gap = await count('seq_gap');
      expect([Number(gap.got.n), Number(gap.got.d), Number(gap.got.hi)]).toEqual([
        gap.seg.row_count,
        gap.seg.row_count,
        gap.seg.last_seq + 1,
      ]);
    });
  });

  it('index faults: gap (file kept, unlisted), missing, unparseable, unsorted, replica lag', async () => {
    const gap = hit('index_gap');
    const gapIndex = await readIndex(gap.dir);
    expect(gapIndex.segments.map((s) => s.file)).not.toContain(gap.file);
    expect(await exists(path.join(gap.dir, gap.file))).toBe(true);
    expect(
      gapIndex.segments.some(
        (s, i) => i > 0 && s.first_seq !== gapIndex.segments[i - 1]!.last_seq + 1,
      ),
    ).toBe(true);
    expect(await exists(path.join(hit('missing_index').dir, '_segments.json'))).toBe(false);
    await expect(readIndex(hit('unparseable_index').dir)).rejects.toThrow(SyntaxError);
    const firsts = (await readIndex(hit('unsorted_index').dir)).segments.map((s) => s.first_seq);
    expect(firsts).not.toEqual([...firsts].sort((a, b) => a - b));
    const lag = await readIndex(hit('replica_lag').dir);
    expect(Date.parse(lag.replica_high_watermark)).toBeLessThan(Date.parse('2026-04-06T00:00:00Z'));
    expect(Date.parse((await readIndex(dirOf('00'))).replica_high_watermark)).toBeGreaterThan(
      Date.parse('2026-04-06T00:00:00Z'),
    );
  });

  it('row faults: exact duplicates (segment stays complete), conflicting seq, conflicting entry_id', async () => {
    await withDb({}, async (db) => {
      const dup = hit('exact_duplicates');
      const d = await db.one<{ n: bigint; distinct_rows: bigint; seqs: bigint }>(
        `SELECT count(*) n, (SELECT count(*) FROM (SELECT DISTINCT * FROM read_parquet(${quoteString(path.join(dup.dir, dup.file))}))) distinct_rows, count(DISTINCT seq) seqs FROM read_parquet(${quoteString(path.join(dup.dir, dup.file))})`,
      );
      const seg = listed(dup.shard, dup.file)!;
      expect([Number(d.n), Number(d.distinct_rows), Number(d.seqs)]).toEqual([
        seg.row_count + 3,
        seg.row_count,
        seg.row_count,
      ]);
      const cs = hit('conflicting_seq');
      const bySeq = await db.all(
        `SELECT seq FROM (SELECT DISTINCT * FROM read_parquet(${quoteString(path.join(cs.dir, cs.file))})) GROUP BY seq HAVING count(*) > 1`,
      );
      expect(bySeq).toHaveLength(1);
      const ce = hit('conflicting_entry_id');
      const byId = await db.all<{ seqs: bigint }>(
        `SELECT count(DISTINCT seq) seqs FROM read_parquet(${quoteString(path.join(ce.dir, ce.file))}) GROUP BY entry_id HAVING count(*) > 1`,
      );
      expect(byId.map((r) => Number(r.seqs))).toEqual([2]);
      expect(Number((await stats(db, path.join(ce.dir, ce.file))).seqs)).toBe(
        listed(ce.shard, ce.file)!.row_count,
      );
    });
  });

  it('directory faults: unlisted file, stray shard', async () => {
    const unlisted = hit('unlisted_file');
    expect(await exists(path.join(unlisted.dir, unlisted.file))).toBe(true);
    expect((await readIndex(unlisted.dir)).segments.map((s) => s.file)).not.toContain(
      unlisted.file,
    );
    expect(await exists(path.join(out, 'shard=17', `date=${DATE}`, '_segments.json'))).toBe(true);
    await withDb({}, async (db) => {
      const shards = await db.all<{ shard_id: string }>(
        `SELECT DISTINCT shard_id FROM ${quoteString(path.join(out, 'accounts.parquet'))}`,
      );
      expect(shards.map((s) => s.shard_id)).not.toContain('17');
    });
  });

  it('reject_rows: at least two rows per reject reason, seq and entry_id intact', async () => {
    const r = hit('reject_rows');
    await withDb({}, async (db) => {
      const iso = fileURLToPath(new URL('../sql/reference/iso4217.csv', import.meta.url));
      const rows = await db.all<{ reason: string; n: bigint }>(
        classifyRejects(path.join(r.dir, r.file), path.join(out, 'accounts.parquet'), iso),
      );
      const counts = Object.fromEntries(rows.map((x) => [x.reason, Number(x.n)]));
      for (const reason of [
        'unknown_entry_type',
        'bad_amount',
        'bad_currency',
        'missing_key',
        'unknown_account',
        'directory_mismatch',
        'out_of_window',
        'missing_customer_ref',
      ]) {
        expect(counts[reason], reason).toBeGreaterThanOrEqual(2);
      }
      const seg = listed(r.shard, r.file)!;
      const s = await stats(db, path.join(r.dir, r.file));
      expect([Number(s.n), Number(s.seqs), Number(s.ids), Number(s.lo), Number(s.hi)]).toEqual([
        seg.row_count,
        seg.row_count,
        seg.row_count,
        seg.first_seq,
        seg.last_seq,
      ]);
    });
  });

  it('cross_segment_duplicate_entry_id: a complete segment of another shard holds the same entry_id', async () => {
    const x = hit('cross_segment_duplicate_entry_id');
    await withDb({}, async (db) => {
      const shared = await db.all<{ shards: bigint }>(
        `SELECT count(DISTINCT shard_id) shards FROM read_parquet([${quoteString(path.join(x.dir, x.file))}, ${quoteString(path.join(dirOf('00'), 'seg-000001.parquet'))}]) GROUP BY entry_id HAVING count(*) > 1`,
      );
      expect(shared.map((s) => Number(s.shards))).toEqual([2]);
      expect(Number((await stats(db, path.join(x.dir, x.file))).seqs)).toBe(
        listed(x.shard, x.file)!.row_count,
      );
    });
  });
});

describe('settle generate: options', () => {
  it('--skew 0.5 gives the top merchant half of the entries and of the distinct (merchant, currency, customer) tuples', async () => {
    const skewed = await tempOut();
    await withDb({}, async (db) => {
      await generateSnapshot(db, {
        ...base,
        out: skewed,
        shards: 4,
        merchants: 400,
        entries: 40_000,
        skew: 0.5,
        segmentRows: 10_000,
        faults: [],
      });
      const all = `read_parquet(${quoteString(path.join(skewed, 'shard=*', '*', '*.parquet'))}, hive_partitioning = false)`;
      const share = await db.one<{ entries: number; tuples: number }>(`
        SELECT (SELECT avg((merchant_id = 'M000000')::INT) FROM ${all}) AS entries,
               (SELECT avg((merchant_id = 'M000000')::INT) FROM (SELECT DISTINCT merchant_id, currency, customer_ref FROM ${all} WHERE customer_ref IS NOT NULL)) AS tuples`);
      expect(share.entries).toBeCloseTo(0.5, 3);
      expect(Math.abs(share.tuples - 0.5)).toBeLessThan(0.03);
    });
  });

  it('refuses bad options with the flag named, and a non-snapshot --out', async () => {
    const bad = (o: Partial<GenerateOptions>) =>
      withDb({}, async (db) =>
        generateSnapshot(db, {
          ...base,
          out: path.join(os.tmpdir(), 'never-written'),
          faults: [],
          ...o,
        }),
      );
    await expect(bad({ date: '2026-02-30' })).rejects.toThrow('--date');
    await expect(bad({ currencies: ['USD', 'USD'] })).rejects.toThrow('--currencies');
    await expect(bad({ faults: ['meteor_strike' as FaultName] })).rejects.toThrow(
      'unknown fault "meteor_strike"',
    );
    await expect(bad({ shards: 101 })).rejects.toThrow('--shards');
    const precious = await mkdtemp(path.join(os.tmpdir(), 'settle-gen-'));
    await writeFile(path.join(precious, 'notes.txt'), 'keep me');
    await expect(bad({ out: precious })).rejects.toThrow('refusing to replace');
    expect(await exists(path.join(precious, 'notes.txt'))).toBe(true);
  });
});
