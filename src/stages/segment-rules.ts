import { cutoffFor } from '../util/dates.js';
import type { SegmentEntry, ShardEntry } from '../contract/manifest.js';

/** What the stats query learned about one segment file. */
export interface SegmentStats {
  rows_read: number;
  distinct_seqs: number;
  duplicates_removed: number;
  conflicting_seqs: number;
  null_seqs: number;
  min_seq: number | null;
  max_seq: number | null;
  seqs_with_entry_id: number;
  distinct_entry_ids: number;
}

export interface SegmentVerdict {
  file: string;
  complete: boolean;
  problem: string | null;
  rows_read: number;
  duplicates_removed: number;
}

/**
 * SPEC section 3: after removing exact duplicates, a segment's rows must have distinct seq values
 * covering exactly first_seq..last_seq and number row_count, with no two different rows sharing a
 * seq or an entry_id. Anything else excludes the whole segment.
 */
export function judgeSegment(
  segment: SegmentEntry,
  stats: SegmentStats | undefined,
): SegmentVerdict {
  const verdict = (problem: string | null): SegmentVerdict => ({
    file: segment.path,
    complete: problem === null,
    problem,
    rows_read: stats?.rows_read ?? 0,
    duplicates_removed: problem === null ? (stats?.duplicates_removed ?? 0) : 0,
  });
  if (!segment.present || stats === undefined) return verdict('file is missing');
  const expectedRows = segment.last_seq - segment.first_seq + 1;
  if (stats.conflicting_seqs > 0)
    return verdict(`${stats.conflicting_seqs} seq value(s) carry different rows`);
  if (stats.null_seqs > 0) return verdict('rows with a NULL seq');
  if (stats.seqs_with_entry_id !== stats.distinct_entry_ids)
    return verdict('two different rows share an entry_id');
  if (segment.row_count !== expectedRows)
    return verdict(`index row_count ${segment.row_count} does not match first_seq..last_seq`);
  if (stats.distinct_seqs !== segment.row_count)
    return verdict(`${stats.distinct_seqs} distinct rows, index says ${segment.row_count}`);
  if (stats.min_seq !== segment.first_seq || stats.max_seq !== segment.last_seq) {
    return verdict(
      `seq range ${stats.min_seq}..${stats.max_seq}, index says ${segment.first_seq}..${segment.last_seq}`,
    );
  }
  return verdict(null);
}

export interface ShardVerdict {
  shard_id: string;
  missing_segment: boolean;
  replica_lag: boolean;
  problems: string[];
}

/** A shard is incomplete when its index is bad, a segment is incomplete, the index has a gap, or its replica lags. */
export function judgeShard(
  shard: ShardEntry,
  segments: SegmentVerdict[],
  settlementDate: string,
): ShardVerdict {
  const problems: string[] = [];
  if (shard.index_status !== 'ok')
    problems.push(`index ${shard.index_status}: ${shard.index_problem ?? ''}`.trim());
  for (const s of segments)
    if (!s.complete) problems.push(`${s.file}: ${s.problem ?? 'incomplete'}`);
  for (let i = 1; i < shard.segments.length; i++) {
    const previous = shard.segments[i - 1] as SegmentEntry;
    const current = shard.segments[i] as SegmentEntry;
    if (current.first_seq !== previous.last_seq + 1) {
      problems.push(
        `index gap: seq ${previous.last_seq + 1}..${current.first_seq - 1} is in no segment`,
      );
    }
  }
  const missingSegment = problems.length > 0;
  const watermark =
    shard.replica_high_watermark === null ? null : Date.parse(shard.replica_high_watermark);
  const replicaLag = watermark !== null && watermark < cutoffFor(settlementDate);
  if (replicaLag)
    problems.push(`replica_high_watermark ${shard.replica_high_watermark} is before the cutoff`);
  return {
    shard_id: shard.shard_id,
    missing_segment: missingSegment,
    replica_lag: replicaLag,
    problems,
  };
}
