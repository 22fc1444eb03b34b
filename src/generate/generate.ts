import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { quoteString } from '../db/duckdb.js';
import { loadSql } from '../sql/load.js';
import { applyFaults, type FaultName, type FaultReport } from './faults.js';

export interface GenerateOptions {
  out: string;
  shards: number;
  merchants: number;
  entries: number;
  currencies: string[];
  /** Share (0..<1) of entries and of distinct customers that belong to the top merchant M000000. */
  skew: number;
  seed: number;
  date: string;
  /** Distinct customer refs in the whole snapshot (default max(1, entries / 20)). */
  customers?: number;
  /** Rows per segment file (default 1,000,000). */
  segmentRows?: number;
  faults: FaultName[];
}

export interface GeneratedShard {
  shard_id: string;
  entries: number;
  segments: Array<{ file: string; first_seq: number; last_seq: number; row_count: number }>;
}

export interface GenerateReport {
  out: string;
  entries: number;
  shards: GeneratedShard[];
  faults: FaultReport[];
}

/**
 * Writes a deterministic snapshot in the SPEC layout. All rows are made by DuckDB SQL, one COPY
 * per segment; every random choice is a hash of (seed, shard, seq, tag).
 */
export async function generateSnapshot(db: Db, options: GenerateOptions): Promise<GenerateReport> {
  await rm(options.out, { recursive: true, force: true });
  await mkdir(options.out, { recursive: true });
  await db.run(loadSql('generate/accounts.sql'), { merchants: options.merchants, shards: options.shards, seed: options.seed, currencies: options.currencies.join(',') });
  await db.run(`COPY (${loadSql('generate/write_accounts.sql')}) TO ${quoteString(path.join(options.out, 'accounts.parquet'))} (FORMAT parquet)`);

  const plan = await planShards(db, options);
  const shards: GeneratedShard[] = [];
  for (const shard of plan.shards) shards.push(await writeShard(db, options, plan, shard));
  const faults = await applyFaults(db, options, shards);
  return { out: options.out, entries: shards.reduce((a, s) => a + s.entries, 0), shards, faults };
}

interface ShardPlan {
  shardNo: number;
  shardId: string;
  entries: number;
  topEntries: number;
  accounts: number;
}

interface Plan {
  shards: ShardPlan[];
  topAccounts: number;
  window: number;
  otherCustomers: number;
  topCustomers: number;
}

/** Non-top entries spread over shards in proportion to their accounts; the top merchant's on shard 00. */
async function planShards(db: Db, options: GenerateOptions): Promise<Plan> {
  const groups = (await db.all<{ grp: bigint; accounts: bigint }>(loadSql('generate/shard_plan.sql'))).map((g) => ({ grp: Number(g.grp), accounts: Number(g.accounts) }));
  const accountsOf = (grp: number): number => groups.find((g) => g.grp === grp)?.accounts ?? 0;
  const otherAccounts = groups.filter((g) => g.grp >= 0).reduce((a, g) => a + g.accounts, 0);
  const topEntries = options.merchants > 1 ? Math.round(options.entries * options.skew) : options.entries;
  const otherEntries = options.entries - topEntries;
  let assigned = 0;
  const shards: ShardPlan[] = [];
  for (let shardNo = 0; shardNo < options.shards; shardNo++) {
    const accounts = accountsOf(shardNo);
    const last = shardNo === options.shards - 1;
    const share = otherAccounts === 0 ? 0 : last ? otherEntries - assigned : Math.floor((otherEntries * accounts) / otherAccounts);
    assigned += share;
    const top = shardNo === 0 ? topEntries : 0;
    shards.push({ shardNo, shardId: String(shardNo).padStart(2, '0'), entries: share + top, topEntries: top, accounts });
  }
  const customers = Math.max(2, options.customers ?? Math.floor(options.entries / 20));
  const topCustomers = Math.max(1, Math.round(customers * options.skew));
  const otherCustomers = Math.max(1, customers - topCustomers);
  const window = Math.max(1, Math.ceil(otherCustomers / Math.max(1, options.merchants - 1)));
  return { shards, topAccounts: accountsOf(-1), window, otherCustomers, topCustomers };
}

async function writeShard(db: Db, options: GenerateOptions, plan: Plan, shard: ShardPlan): Promise<GeneratedShard> {
  const dir = path.join(options.out, `shard=${shard.shardId}`, `date=${options.date}`);
  await mkdir(dir, { recursive: true });
  const segmentRows = options.segmentRows ?? 1_000_000;
  const segments: GeneratedShard['segments'] = [];
  for (let first = 1, n = 1; first <= shard.entries; first += segmentRows, n++) {
    const last = Math.min(shard.entries, first + segmentRows - 1);
    const file = `seg-${String(n).padStart(6, '0')}.parquet`;
    await db.run(`COPY (${loadSql('generate/segment.sql')}) TO ${quoteString(path.join(dir, file))} (FORMAT parquet, COMPRESSION zstd)`, {
      seed: options.seed,
      shard_no: shard.shardNo,
      shard_id: shard.shardId,
      first,
      last,
      shard_entries: shard.entries,
      top_entries: shard.topEntries,
      top_accounts: Math.max(1, plan.topAccounts),
      shard_accounts: Math.max(1, shard.accounts),
      window: plan.window,
      other_customers: plan.otherCustomers,
      top_customers: plan.topCustomers,
      date: options.date,
    });
    segments.push({ file, first_seq: first, last_seq: last, row_count: last - first + 1 });
  }
  await writeIndex(dir, shard.shardId, options.date, segments, healthyWatermark(options.date));
  return { shard_id: shard.shardId, entries: shard.entries, segments };
}

export function healthyWatermark(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000 + 250_000).toISOString().replace('.000Z', 'Z');
}

export async function writeIndex(dir: string, shardId: string, date: string, segments: GeneratedShard['segments'], watermark: string): Promise<void> {
  const index = { shard_id: shardId, settlement_date: date, replica_high_watermark: watermark, segments };
  await writeFile(path.join(dir, '_segments.json'), `${JSON.stringify(index, null, 2)}\n`);
}
