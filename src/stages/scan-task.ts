import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import type { Manifest, SegmentEntry, ShardEntry } from '../contract/manifest.js';
import { quoteString, quoteStringList } from '../sql/fragment.js';
import { loadSql, renderSql } from '../sql/load.js';
import { classifyAndWrite, type ClassifiedCounts, type SourceView } from './classify.js';
import { scanFiles } from './partitioning.js';
import {
  judgeSegment,
  judgeShard,
  type SegmentStats,
  type SegmentVerdict,
  type ShardVerdict,
} from './segment-rules.js';
import type { ScanSpec } from './task-specs.js';

/** One shard's part of a scan task's result; counts are rows. */
export interface ShardScanResult {
  shard: ShardVerdict;
  segments: SegmentVerdict[];
  rows_read: number;
  excluded: number;
  duplicates_removed: number;
  accepted: number;
  rejected: number;
  reject_reasons: Record<string, number>;
  complete_files: string[];
}

export interface ScanTaskResult {
  shards: ShardScanResult[];
  rejects: boolean;
  customer_tuples: number;
  partition_rows: Array<[number, number]>;
}

interface SeqFacts {
  file: string;
  rows_read: bigint;
  null_seqs: bigint;
  min_seq: bigint | null;
  max_seq: bigint | null;
  consecutive: boolean;
}

/**
 * Scans a group of shards (SPEC section 3): one pass over the seq column (per-file facts: a file
 * that holds first_seq..last_seq once each, in order, is cleared exactly) and one over the
 * classification columns (pre_aggregate.sql); the entry-id task reads entry_id. Only files the seq
 * facts do not clear are read again, row by row (exact_per_seq.sql): duplicates, gaps and
 * conflicts. Files the ids check found to hold one entry_id on two different rows come back as
 * `excluded` (a rescan).
 */
export async function runScanTask(
  db: Db,
  manifest: Manifest,
  spec: ScanSpec,
  dir: string,
): Promise<ScanTaskResult> {
  const root = manifest.snapshot_root;
  const abs = (rel: string): string => path.join(root, rel);
  const shards = spec.shards.map((id) => shardOf(manifest, id));
  const listed = shards.flatMap((s) => s.segments.filter((seg) => seg.present));
  const stats = await segmentStats(db, listed, abs, dir);
  const excluded = new Set(spec.excluded);
  const verdicts = shards.map((shard) =>
    shard.segments.map((segment) =>
      excluded.has(segment.path)
        ? idConflict(segment, stats.get(segment.path))
        : judgeSegment(segment, stats.get(segment.path)),
    ),
  );
  const complete = verdicts.flatMap((v, source) =>
    v.filter((s) => s.complete).map((s) => ({ rel: s.file, source })),
  );
  const counts = await classifyAndWrite(
    db,
    {
      files: complete.map((c) => abs(c.rel)),
      relative: complete.map((c) => c.rel),
      sourceOfFile: complete.map((c) => c.source),
      sourceCount: shards.length,
    },
    { dir, shuffle: spec.shuffle },
    ledgerSource(db, stats.hasDuplicates),
  );
  return {
    shards: shards.map((shard, i) =>
      shardResult(
        manifest,
        shard,
        verdicts[i] ?? [],
        counts.sources[i] as ClassifiedCounts['sources'][number],
      ),
    ),
    rejects: counts.rejects,
    customer_tuples: counts.customer_tuples,
    partition_rows: counts.partition_rows,
  };
}

function shardOf(manifest: Manifest, id: string): ShardEntry {
  const shard = manifest.shards.find((s) => s.shard_id === id);
  if (shard === undefined) throw new Error(`scan task names shard ${id}, which the manifest lacks`);
  return shard;
}

/**
 * What each listed file holds, by seq: the cheap facts for every file, the exact (file, seq)
 * check only for files they do not clear. Exact duplicate rows found there are kept in the
 * scan_dup_keys table for the classification to drop.
 */
async function segmentStats(
  db: Db,
  listed: SegmentEntry[],
  abs: (rel: string) => string,
  dir: string,
): Promise<Map<string, SegmentStats> & { hasDuplicates: boolean }> {
  const stats = Object.assign(new Map<string, SegmentStats>(), { hasDuplicates: false });
  if (listed.length === 0) return stats;
  const facts = new Map(
    (
      await db.all<SeqFacts>(
        renderSql('stages/scan/segment_facts.sql', {
          files: quoteStringList(listed.map((s) => abs(s.path))),
        }),
      )
    ).map((f) => [f.file, f]),
  );
  const suspicious: SegmentEntry[] = [];
  for (const segment of listed) {
    const fact = facts.get(abs(segment.path));
    if (fact !== undefined && clearedBySeq(segment, fact))
      stats.set(segment.path, cleanStats(fact));
    else if (fact !== undefined) suspicious.push(segment);
  }
  if (suspicious.length === 0) return stats;
  await db.run(
    renderSql('stages/scan/exact_per_seq.sql', {
      files: quoteStringList(suspicious.map((s) => abs(s.path))),
    }),
  );
  for (const row of await db.all<ExactRow>(loadSql('stages/scan/exact_file_stats.sql'))) {
    const segment = suspicious.find((s) => abs(s.path) === row.file);
    if (segment !== undefined) stats.set(segment.path, exactStats(row));
    if (row.duplicates_removed > 0n) stats.hasDuplicates = true;
  }
  if (stats.hasDuplicates) {
    const dupKeys = path.join(dir, scanFiles.dupKeys);
    await db.copyToParquet(loadSql('stages/scan/exact_dup_keys.sql'), dupKeys);
    await db.run(renderSql('stages/scan/load_dup_keys.sql', { dup_keys: quoteString(dupKeys) }));
  }
  await db.run('DROP TABLE exact_per_seq');
  return stats;
}

/** Exactly first_seq..last_seq, each once: the right count and range, consecutive in file order. */
function clearedBySeq(segment: SegmentEntry, fact: SeqFacts): boolean {
  return (
    fact.consecutive &&
    fact.null_seqs === 0n &&
    Number(fact.rows_read) === segment.row_count &&
    fact.min_seq === BigInt(segment.first_seq) &&
    fact.max_seq === BigInt(segment.last_seq)
  );
}

function cleanStats(fact: SeqFacts): SegmentStats {
  const rows = Number(fact.rows_read);
  return {
    rows_read: rows,
    distinct_seqs: rows,
    duplicates_removed: 0,
    conflicting_seqs: 0,
    null_seqs: 0,
    min_seq: Number(fact.min_seq),
    max_seq: Number(fact.max_seq),
    seqs_with_entry_id: 0,
    distinct_entry_ids: 0,
  };
}

interface ExactRow {
  file: string;
  rows_read: bigint;
  distinct_seqs: bigint;
  duplicates_removed: bigint;
  conflicting_seqs: bigint;
  null_seqs: bigint;
  min_seq: bigint | null;
  max_seq: bigint | null;
  seqs_with_entry_id: bigint;
  distinct_entry_ids: bigint;
}

function exactStats(row: ExactRow): SegmentStats {
  return {
    rows_read: Number(row.rows_read),
    distinct_seqs: Number(row.distinct_seqs),
    duplicates_removed: Number(row.duplicates_removed),
    conflicting_seqs: Number(row.conflicting_seqs),
    null_seqs: Number(row.null_seqs),
    min_seq: row.min_seq === null ? null : Number(row.min_seq),
    max_seq: row.max_seq === null ? null : Number(row.max_seq),
    seqs_with_entry_id: Number(row.seqs_with_entry_id),
    distinct_entry_ids: Number(row.distinct_entry_ids),
  };
}

/** A segment the ids check found to hold one entry_id on two different rows: incomplete. */
function idConflict(segment: SegmentEntry, stats: SegmentStats | undefined): SegmentVerdict {
  return {
    file: segment.path,
    complete: false,
    problem: 'two different rows share an entry_id',
    rows_read: stats?.rows_read ?? 0,
    duplicates_removed: 0,
  };
}

function ledgerSource(db: Db, hasDuplicates: boolean): SourceView {
  const file = hasDuplicates
    ? 'stages/scan/ledger_source_dedup.sql'
    : 'stages/scan/ledger_source.sql';
  return async (files, sourceNo) => {
    await db.run(renderSql(file, { files, source_no: sourceNo }));
  };
}

function shardResult(
  manifest: Manifest,
  shard: ShardEntry,
  segments: SegmentVerdict[],
  counts: ClassifiedCounts['sources'][number],
): ShardScanResult {
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  return {
    shard: judgeShard(shard, segments, manifest.settlement_date),
    segments,
    rows_read: sum(segments.map((s) => s.rows_read)),
    excluded: sum(segments.filter((s) => !s.complete).map((s) => s.rows_read)),
    duplicates_removed: sum(segments.map((s) => s.duplicates_removed)),
    accepted: counts.accepted,
    rejected: counts.rejected,
    reject_reasons: counts.reject_reasons,
    complete_files: segments.filter((s) => s.complete).map((s) => s.file),
  };
}
