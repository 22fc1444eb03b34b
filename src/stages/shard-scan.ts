import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { quoteString, quoteStringList, sqlInteger, type SqlFragment } from '../sql/fragment.js';
import { renderSql, loadSql } from '../sql/load.js';
import { scanMeasureSums } from '../contract/render.js';
import type { Manifest, ShardEntry } from '../contract/manifest.js';
import {
  partitionLayout,
  partitionRows,
  shardFiles,
  type ShuffleSettings,
} from './partitioning.js';
import { judgeShard, type SegmentVerdict, type ShardVerdict } from './segment-rules.js';
import {
  runEntryIdCheck,
  runSegmentValidation,
  withEntryIdVerdict,
  type EntryIdCheck,
  type ShardValidation,
} from './segment-validation.js';
import type { TaskStore } from './tasks.js';

/** What one shard task produced; counts are rows. */
export interface ShardScanResult {
  shard: ShardVerdict;
  segments: SegmentVerdict[];
  rows_read: number;
  excluded: number;
  duplicates_removed: number;
  accepted: number;
  rejected: number;
  reject_reasons: Record<string, number>;
  customer_tuples: number;
  /** Rows of this task's outputs per reduce partition: [partition, rows]. */
  partition_rows: Array<[number, number]>;
  complete_files: string[];
}

export interface ShardOutput {
  dir: string;
  result: ShardScanResult;
  reused: boolean;
}

/**
 * Shard-local scan of every shard of the manifest: validates segments (seq fingerprint, exact
 * re-check where needed, global entry-id check), then per shard drops exact duplicates, classifies
 * rows (accepted or first reject reason) and pre-aggregates, writing compact Parquet outputs
 * partitioned for the reduce side. Reference tables (see loadReferenceTables) must be loaded first.
 */
export async function runShardScans(
  db: Db,
  manifest: Manifest,
  store: TaskStore,
  shuffle: ShuffleSettings,
): Promise<{ shards: ShardOutput[]; entryIds: EntryIdCheck }> {
  const validations = await runSegmentValidation(db, manifest, store);
  const entryIds = await runEntryIdCheck(db, manifest, validations, store);
  const shards: ShardOutput[] = [];
  for (const [i, shard] of manifest.shards.entries()) {
    const validation = validations[i] as ShardValidation;
    shards.push(
      await store.run(`scan-${shard.shard_id}-${partitionLayout(shuffle)}`, (dir) =>
        scanShard(
          db,
          manifest,
          shard,
          withEntryIdVerdict(validation.segments, entryIds),
          validation.dup_keys,
          { dir, shuffle },
        ),
      ),
    );
  }
  return { shards, entryIds };
}

async function scanShard(
  db: Db,
  manifest: Manifest,
  shard: ShardEntry,
  segments: SegmentVerdict[],
  dupKeys: string | null,
  output: ScanOutput,
): Promise<ShardScanResult> {
  const verdict = judgeShard(shard, segments, manifest.settlement_date);
  const complete = shard.segments.filter((_, i) => segments[i]?.complete === true);
  const rowsRead = sum(segments.map((s) => s.rows_read));
  const excluded = sum(segments.filter((s) => !s.complete).map((s) => s.rows_read));
  const duplicatesRemoved = sum(segments.map((s) => s.duplicates_removed));
  const kept = await classifyAndWrite(
    db,
    complete.map((s) => ({ file: path.join(manifest.snapshot_root, s.path), relPath: s.path })),
    output,
    async (files) => {
      await db.run(
        dupKeys === null
          ? loadSql('stages/scan/no_dup_keys.sql')
          : renderSql('stages/scan/load_dup_keys.sql', { dup_keys: quoteString(dupKeys) }),
      );
      await db.run(renderSql('stages/scan/ledger_source.sql', { files }));
    },
  );
  return {
    shard: verdict,
    segments,
    rows_read: rowsRead,
    excluded,
    duplicates_removed: duplicatesRemoved,
    ...kept,
    complete_files: complete.map((s) => s.path),
  };
}

export interface ScanSource {
  file: string;
  relPath: string;
}

/** Where a scan task writes its outputs, and how they are partitioned for the reduce side. */
export interface ScanOutput {
  dir: string;
  shuffle: ShuffleSettings;
}

export interface ClassifiedCounts {
  accepted: number;
  rejected: number;
  reject_reasons: Record<string, number>;
  customer_tuples: number;
  partition_rows: Array<[number, number]>;
}

/**
 * Classifies the rows of a scan task's sources and writes the task's sums, customer tuples (both
 * partitioned for the reduce side) and rejects. Shared by ledger shards and correction files:
 * `createSource` defines the `scan_source` view over `sources` (ledger_source.sql or
 * corrections_source.sql).
 */
export async function classifyAndWrite(
  db: Db,
  sources: ScanSource[],
  { dir, shuffle }: ScanOutput,
  createSource: (files: SqlFragment) => Promise<void>,
): Promise<ClassifiedCounts> {
  await db.run('CREATE OR REPLACE TEMP TABLE scan_files (file VARCHAR, rel_path VARCHAR)');
  for (const source of sources) {
    await db.run('INSERT INTO scan_files VALUES ($file, $rel)', {
      file: source.file,
      rel: source.relPath,
    });
  }
  if (sources.length > 0) {
    await createSource(quoteStringList(sources.map((s) => s.file)));
    await db.run(loadSql('stages/scan/shard_entries.sql'));
    await db.run(loadSql('stages/scan/pre_aggregate.sql'));
  } else {
    await db.run(loadSql('stages/scan/empty_pre_aggregate.sql'));
  }
  const sumsFile = path.join(dir, shardFiles.sums);
  const customersFile = path.join(dir, shardFiles.customers);
  const layout = { partitions: sqlInteger(shuffle.partitions), salts: sqlInteger(shuffle.salts) };
  await db.copyToParquet(
    renderSql('stages/scan/shard_sums.sql', { ...layout, measures: scanMeasureSums() }),
    sumsFile,
  );
  await db.copyToParquet(renderSql('stages/scan/shard_customers.sql', layout), customersFile);
  const reasons = await db.all<{ reject_reason: string; rows: bigint }>(
    loadSql('stages/scan/shard_reject_reasons.sql'),
  );
  const rejected = sum(reasons.map((r) => Number(r.rows)));
  // The rejects pass reads the sources again, so it only runs when there is something to keep.
  if (rejected > 0)
    await db.copyToParquet(
      loadSql('stages/scan/shard_rejects.sql'),
      path.join(dir, shardFiles.rejects),
    );
  const totals = await db.one<{ kept: bigint; tuples: bigint }>(
    loadSql('stages/scan/shard_totals.sql'),
  );
  return {
    accepted: Number(totals.kept) - rejected,
    rejected,
    reject_reasons: Object.fromEntries(reasons.map((r) => [r.reject_reason, Number(r.rows)])),
    customer_tuples: Number(totals.tuples),
    partition_rows: await partitionRows(db, [sumsFile, customersFile]),
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
