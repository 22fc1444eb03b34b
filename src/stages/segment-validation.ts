import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { quoteString, quoteStringList } from '../sql/fragment.js';
import { loadSql, renderSql } from '../sql/load.js';
import type { Manifest, SegmentEntry, ShardEntry } from '../contract/manifest.js';
import { judgeSegment, type SegmentStats, type SegmentVerdict } from './segment-rules.js';
import type { TaskStore } from './tasks.js';

/** Seq validation of one shard's listed segments (SPEC section 3), before the entry-id check. */
export interface ShardValidation {
  shard_id: string;
  segments: SegmentVerdict[];
  /** Parquet (file, seq, keep_row) of exact duplicate rows and the row kept of each; null when none. */
  dup_keys: string | null;
}

export interface EntryIdCheck {
  /** Segments (relative paths) in which two different rows share an entry_id. */
  conflict_files: string[];
  /** Parquet file of every occurrence of a repeated entry id, or null when no id repeats. */
  occurrences: string | null;
}

interface FingerprintRow {
  file: string;
  rows_read: bigint;
  null_seqs: bigint;
  min_seq: bigint | null;
  max_seq: bigint | null;
  seq_fingerprint: bigint;
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

/**
 * Validates every shard's segments by seq: a cheap fingerprint pass for all files, and the exact
 * (file, seq) grouping only for files the fingerprint does not clear (duplicates, gaps, conflicts).
 */
export async function runSegmentValidation(
  db: Db,
  manifest: Manifest,
  store: TaskStore,
): Promise<ShardValidation[]> {
  const results: ShardValidation[] = [];
  for (const shard of manifest.shards) {
    const task = await store.run(`validate-${shard.shard_id}`, (dir) =>
      validateShard(db, manifest, shard, dir),
    );
    const dupKeys = task.result.dup_keys;
    results.push({
      ...task.result,
      dup_keys: dupKeys === null ? null : path.join(task.dir, dupKeys),
    });
  }
  return results;
}

async function validateShard(
  db: Db,
  manifest: Manifest,
  shard: ShardEntry,
  dir: string,
): Promise<ShardValidation> {
  const absolute = (rel: string): string => path.join(manifest.snapshot_root, rel);
  const present = shard.segments.filter((s) => s.present);
  const fingerprints = new Map<string, FingerprintRow>();
  if (present.length > 0) {
    const rows = await db.all<FingerprintRow>(
      renderSql('stages/scan/segment_fingerprint.sql', {
        files: quoteStringList(present.map((s) => absolute(s.path))),
      }),
    );
    for (const row of rows) fingerprints.set(row.file, row);
  }
  const stats = new Map<string, SegmentStats>();
  const suspicious: SegmentEntry[] = [];
  for (const segment of present) {
    const fast = fingerprints.get(absolute(segment.path));
    if (fast !== undefined && (await clearsFingerprint(db, segment, fast))) {
      stats.set(segment.path, cleanStats(fast));
    } else {
      suspicious.push(segment);
    }
  }
  let dupKeys: string | null = null;
  if (suspicious.length > 0) {
    const files = quoteStringList(suspicious.map((s) => absolute(s.path)));
    await db.run(renderSql('stages/scan/exact_per_seq.sql', { files }));
    const rows = await db.all<ExactRow>(loadSql('stages/scan/exact_file_stats.sql'));
    for (const segment of suspicious) {
      const row = rows.find((r) => r.file === absolute(segment.path));
      if (row !== undefined) stats.set(segment.path, exactStats(row));
    }
    // Duplicates stay in Parquet: a shard exported twice can carry millions of them.
    if (rows.some((r) => r.duplicates_removed > 0n)) {
      dupKeys = 'dup_keys.parquet';
      await db.run(
        `COPY (${loadSql('stages/scan/exact_dup_keys.sql')}) TO ${quoteString(path.join(dir, dupKeys))} (FORMAT parquet)`,
      );
    }
    await db.run('DROP TABLE exact_per_seq');
  }
  const segments = shard.segments.map((s) => judgeSegment(s, stats.get(s.path)));
  return { shard_id: shard.shard_id, segments, dup_keys: dupKeys };
}

async function clearsFingerprint(
  db: Db,
  segment: SegmentEntry,
  fast: FingerprintRow,
): Promise<boolean> {
  if (Number(fast.rows_read) !== segment.row_count || fast.null_seqs !== 0n) return false;
  if (fast.min_seq !== BigInt(segment.first_seq) || fast.max_seq !== BigInt(segment.last_seq))
    return false;
  const expected = await db.one<{ seq_fingerprint: bigint }>(
    loadSql('stages/scan/expected_fingerprint.sql'),
    { first: segment.first_seq, last: segment.last_seq },
  );
  return expected.seq_fingerprint === fast.seq_fingerprint;
}

/** A file the fingerprint clears holds each seq once: no duplicates, no conflicts. */
function cleanStats(fast: FingerprintRow): SegmentStats {
  const rows = Number(fast.rows_read);
  return {
    rows_read: rows,
    distinct_seqs: rows,
    duplicates_removed: 0,
    conflicting_seqs: 0,
    null_seqs: 0,
    min_seq: Number(fast.min_seq),
    max_seq: Number(fast.max_seq),
    seqs_with_entry_id: 0,
    distinct_entry_ids: 0,
  };
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

/**
 * Global entry-id check over every segment that passed seq validation: ids whose hash repeats are
 * resolved exactly. Two different rows of one segment sharing an id make it incomplete; the same id
 * in two complete segments is left for the unique_entry_id assertion.
 */
export async function runEntryIdCheck(
  db: Db,
  manifest: Manifest,
  validations: ShardValidation[],
  store: TaskStore,
): Promise<EntryIdCheck> {
  const files = validations.flatMap((v) =>
    v.segments.filter((s) => s.complete).map((s) => path.join(manifest.snapshot_root, s.file)),
  );
  const task = await store.run('entry-ids', async (dir): Promise<EntryIdCheck> => {
    if (files.length === 0) return { conflict_files: [], occurrences: null };
    await db.run(
      renderSql('stages/scan/entry_id_hash_candidates.sql', { files: quoteStringList(files) }),
    );
    const candidates = await db.one<{ n: bigint }>('SELECT count(*) AS n FROM entry_id_candidates');
    if (candidates.n === 0n) return { conflict_files: [], occurrences: null };
    const occurrences = path.join(dir, 'entry_id_occurrences.parquet');
    await db.run(
      `COPY (${renderSql('stages/scan/entry_id_occurrences.sql', { files: quoteStringList(files) })}) TO ${quoteString(occurrences)} (FORMAT parquet)`,
    );
    const conflicts = await db.all<{ file: string }>(
      renderSql('stages/scan/entry_id_conflict_files.sql', {
        occurrences: quoteString(occurrences),
      }),
    );
    return {
      conflict_files: conflicts.map((c) =>
        path.relative(manifest.snapshot_root, c.file).split(path.sep).join('/'),
      ),
      occurrences: 'entry_id_occurrences.parquet',
    };
  });
  return {
    ...task.result,
    occurrences:
      task.result.occurrences === null ? null : path.join(task.dir, task.result.occurrences),
  };
}

/** Applies the entry-id verdict: a segment with a shared entry_id is incomplete after all. */
export function withEntryIdVerdict(
  segments: SegmentVerdict[],
  check: EntryIdCheck,
): SegmentVerdict[] {
  return segments.map((s) =>
    s.complete && check.conflict_files.includes(s.file)
      ? {
          ...s,
          complete: false,
          problem: 'two different rows share an entry_id',
          duplicates_removed: 0,
        }
      : s,
  );
}
