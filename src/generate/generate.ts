import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { quoteString } from '../sql/fragment.js';
import { invalidInput } from '../errors.js';
import { loadSql } from '../sql/load.js';
import { checkGenerateOptions } from './check-options.js';
import { applyFaults } from './faults.js';
import { silentProgress, type PipelineProgress } from '../util/progress.js';
import type { GenerateOptions, GenerateReport, GeneratedShard } from './types.js';
import { customerPools, planShards, type ShardPlan } from './plan.js';
import { healthyWatermark, shardDateDir, writeIndex, type SegmentEntry } from './segment-index.js';

export {
  faultNames,
  type FaultName,
  type FaultReport,
  type GenerateOptions,
  type GeneratedShard,
  type GenerateReport,
} from './types.js';

const defaultSegmentRows = 1_000_000;

/**
 * Writes a deterministic snapshot in the SPEC section 2 layout, replacing `out`. All rows are made
 * by DuckDB, one COPY per segment; every random choice is a gen_draw(seed, shard, seq, tag), so
 * the same options give byte-identical files. Memory stays at about one segment.
 */
export async function generateSnapshot(
  db: Db,
  options: GenerateOptions,
  progress: PipelineProgress = silentProgress,
): Promise<GenerateReport> {
  checkGenerateOptions(options);
  await replaceDirectory(options.out);
  const pools = customerPools(options);
  await db.run(loadSql('generate/macros.sql'));
  await db.run(loadSql('generate/accounts.sql'), {
    merchants: options.merchants,
    shards: options.shards,
    seed: options.seed,
    currencies: options.currencies.join(','),
    skewed: pools.skewed,
    top_customers: pools.topCustomers,
    other_customers: pools.otherCustomers,
  });
  await db.run(
    `COPY (${loadSql('generate/write_accounts.sql')}) TO ${quoteString(path.join(options.out, 'accounts.parquet'))} (FORMAT parquet)`,
  );
  const accounts = await db.one<{ n: bigint }>('SELECT count(*) AS n FROM gen_accounts');

  const plan = await planShards(db, options, pools);
  const segmentRows = options.segmentRows ?? defaultSegmentRows;
  const largestShard = Math.max(...plan.shards.map((s) => s.entries));
  await db.run(loadSql('generate/offsets.sql'), {
    rows: Math.max(1, Math.min(segmentRows, largestShard)),
  });
  const shards: GeneratedShard[] = [];
  progress.stageStarted('generate', plan.shards.length);
  for (const shard of plan.shards) {
    shards.push(await writeShard(db, options, segmentRows, plan.topAccounts, shard));
    progress.taskEnded('generate', {
      done: shards.length,
      total: plan.shards.length,
      reused: false,
    });
  }
  progress.stageEnded('generate');
  const faults = await applyFaults(db, options, shards);
  return {
    out: options.out,
    accounts: Number(accounts.n),
    entries: shards.reduce((sum, s) => sum + s.entries, 0),
    shards,
    faults,
  };
}

/** Refuses to wipe a directory that is not (or was not) a snapshot: --out may be a typo. */
async function replaceDirectory(out: string): Promise<void> {
  const existing: string[] = await readdir(out).catch(() => []);
  if (existing.length > 0 && !existing.includes('accounts.parquet')) {
    throw invalidInput(
      `--out ${out} is a non-empty directory without accounts.parquet; refusing to replace it`,
      { field: 'out' },
    );
  }
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
}

async function writeShard(
  db: Db,
  options: GenerateOptions,
  segmentRows: number,
  topAccounts: number,
  shard: ShardPlan,
): Promise<GeneratedShard> {
  const dir = shardDateDir(options.out, shard.shardId, options.date);
  await mkdir(dir, { recursive: true });
  const segments: SegmentEntry[] = [];
  for (let first = 1, n = 1; first <= shard.entries; first += segmentRows, n++) {
    const last = Math.min(shard.entries, first + segmentRows - 1);
    const file = `seg-${String(n).padStart(6, '0')}.parquet`;
    await db.run(
      `COPY (${loadSql('generate/segment.sql')}) TO ${quoteString(path.join(dir, file))} (FORMAT parquet, COMPRESSION zstd)`,
      {
        seed: options.seed,
        shard_no: shard.shardNo,
        shard_id: shard.shardId,
        first,
        last,
        shard_entries: shard.entries,
        top_entries: shard.topEntries,
        top_accounts: Math.max(1, topAccounts),
        shard_accounts: Math.max(1, shard.accounts),
        day_start: Date.parse(`${options.date}T00:00:00Z`) / 1000,
        date: options.date,
      },
    );
    segments.push({ file, first_seq: first, last_seq: last, row_count: last - first + 1 });
  }
  const index = {
    shard_id: shard.shardId,
    settlement_date: options.date,
    replica_high_watermark: healthyWatermark(options.date),
    segments,
  };
  await writeIndex(dir, index);
  return { shard_id: shard.shardId, entries: shard.entries, segments };
}
