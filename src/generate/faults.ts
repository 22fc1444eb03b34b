import { access, copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { quoteString } from '../sql/fragment.js';
import { invalidInput } from '../errors.js';
import { renderSql } from '../sql/load.js';
import {
  faultNames,
  type FaultName,
  type FaultReport,
  type GeneratedShard,
  type GenerateOptions,
} from './types.js';
import { injectRejects } from './reject-rows.js';
import {
  editIndex,
  healthyWatermark,
  shardDateDir,
  writeIndex,
  type SegmentEntry,
} from './segment-index.js';
import { rewriteSegment, segmentAt, type FaultTarget } from './segment-rewrite.js';

/**
 * Applies each selected fault to its own shard: the j-th selected fault (in faultNames order) hits
 * shard 1 + j mod (N - 1), so shard 00 (the top merchant's) stays healthy unless it is the only
 * one. Faults share a shard only when there are more faults than other shards; then each takes
 * segments no earlier fault touched, and the faults that delete or break the index run last.
 */
export async function applyFaults(
  db: Db,
  options: GenerateOptions,
  shards: GeneratedShard[],
): Promise<FaultReport[]> {
  const selected = faultNames.filter((f) => options.faults.includes(f));
  const targets = selected.map((fault, j) => ({
    fault,
    shard: shards[shards.length === 1 ? 0 : 1 + (j % (shards.length - 1))],
  }));
  const claimed = new Map(shards.map((s) => [s.shard_id, new Set<string>()]));
  const reports = new Map<FaultName, FaultReport>();
  for (const { fault, shard } of [
    ...targets.filter((t) => !indexBreakers.has(t.fault)),
    ...targets.filter((t) => indexBreakers.has(t.fault)),
  ]) {
    if (shard === undefined) throw new Error(`no shard for fault ${fault}`);
    const dir = shardDateDir(options.out, shard.shard_id, options.date);
    const result = await faultActions[fault]({
      db,
      options,
      fault,
      shard,
      allShards: shards,
      dir,
      claimed: claimed.get(shard.shard_id) ?? new Set(),
    });
    reports.set(fault, { fault, shard: shard.shard_id, ...result });
  }
  return selected.flatMap((f) => reports.get(f) ?? []);
}

const indexBreakers = new Set<FaultName>(['missing_index', 'unparseable_index']);

type FaultAction = (t: FaultTarget) => Promise<{ file?: string; detail: string }>;

const faultActions: Record<FaultName, FaultAction> = {
  missing_segment_file: async (t) => {
    const seg = segmentAt(t, -1);
    await rm(path.join(t.dir, seg.file));
    return { file: seg.file, detail: 'listed segment file deleted' };
  },
  short_segment: (t) =>
    rewriteSegment(
      t,
      segmentAt(t, 0),
      'drop_last_row.sql',
      {},
      'last row dropped: one row fewer than row_count',
    ),
  long_segment: (t) =>
    rewriteSegment(t, segmentAt(t, 0), 'add_row_beyond.sql', {}, 'extra row with seq last_seq + 1'),
  seq_gap: (t) => {
    const seg = segmentAt(t, 0, 2);
    return rewriteSegment(
      t,
      seg,
      'shift_seqs.sql',
      { from: seg.first_seq + 1 },
      `no seq ${seg.first_seq + 1}, same row count, last seq past last_seq`,
    );
  },
  index_gap: async (t) => {
    const removed = middleSegment(t);
    await editIndex(t.dir, (index) => ({
      ...index,
      segments: index.segments.filter((s) => s.file !== removed.file),
    }));
    return {
      file: removed.file,
      detail: 'middle segment left out of the index; its file stays on disk, unlisted',
    };
  },
  missing_index: async (t) => {
    await rm(path.join(t.dir, '_segments.json'));
    return { file: '_segments.json', detail: 'segment index deleted' };
  },
  unparseable_index: async (t) => {
    await writeFile(
      path.join(t.dir, '_segments.json'),
      `{"shard_id": "${t.shard.shard_id}", "segments": [`,
    );
    return { file: '_segments.json', detail: 'segment index truncated: not valid JSON' };
  },
  unsorted_index: async (t) => {
    segmentAt(t, 0, 1, false);
    const single = t.shard.segments.length === 1;
    await editIndex(t.dir, (index) => ({
      ...index,
      segments: single ? [...index.segments, ...index.segments] : [...index.segments].reverse(),
    }));
    return {
      file: '_segments.json',
      detail: single
        ? 'the only segment listed twice (overlap)'
        : 'segments listed in reverse first_seq order',
    };
  },
  exact_duplicates: (t) =>
    rewriteSegment(
      t,
      segmentAt(t, 0),
      'duplicate_rows.sql',
      {},
      'first 3 rows duplicated identically; segment stays complete',
    ),
  conflicting_seq: (t) =>
    rewriteSegment(
      t,
      segmentAt(t, 0),
      'conflicting_seq.sql',
      {},
      'a second, different row (amount + 1) with the first seq',
    ),
  conflicting_entry_id: (t) =>
    rewriteSegment(
      t,
      segmentAt(t, 0, 2),
      'conflicting_entry_id.sql',
      {},
      "the second row carries the first row's entry_id",
    ),
  replica_lag: async (t) => {
    const watermark = `${t.options.date}T23:00:00Z`;
    await editIndex(t.dir, (index) => ({ ...index, replica_high_watermark: watermark }));
    return {
      file: '_segments.json',
      detail: `replica_high_watermark ${watermark}, one hour before the cutoff`,
    };
  },
  unlisted_file: async (t) => {
    const seg = await existingSegment(t);
    await copyFile(path.join(t.dir, seg.file), path.join(t.dir, 'seg-unlisted.parquet'));
    return {
      file: 'seg-unlisted.parquet',
      detail: `a copy of ${seg.file} that the index does not list`,
    };
  },
  stray_shard: async (t) => {
    const strayId = String(t.allShards.length).padStart(2, '0');
    const seg = await existingSegment(t);
    const stray = shardDateDir(t.options.out, strayId, t.options.date);
    await mkdir(stray, { recursive: true });
    await copyFile(path.join(t.dir, seg.file), path.join(stray, seg.file));
    await writeIndex(stray, {
      shard_id: strayId,
      settlement_date: t.options.date,
      replica_high_watermark: healthyWatermark(t.options.date),
      segments: [seg],
    });
    return {
      file: `shard=${strayId}`,
      detail: `shard directory ${strayId}, not in accounts.parquet, holding a copy of ${seg.file}`,
    };
  },
  reject_rows: injectRejects,
  cross_segment_duplicate_entry_id: async (t) => {
    const seg = segmentAt(t, 0);
    const { donor, entryId } = await donorEntryId(t);
    return rewriteSegment(
      t,
      seg,
      'set_first_entry_id.sql',
      { entry_id: entryId },
      `first row takes entry_id ${entryId} of ${donor}`,
    );
  },
};

/** A segment file still on disk (in any state), for faults that only copy one. */
async function existingSegment(t: FaultTarget): Promise<SegmentEntry> {
  for (const seg of t.shard.segments) {
    if (
      await access(path.join(t.dir, seg.file)).then(
        () => true,
        () => false,
      )
    )
      return seg;
  }
  throw invalidInput(
    `fault ${t.fault} needs a segment file on shard ${t.shard.shard_id}; add --entries`,
    { field: 'faults' },
  );
}

/** A segment with listed neighbours on both sides, so leaving it out of the index opens a gap. */
function middleSegment(t: FaultTarget): SegmentEntry {
  const seg = t.shard.segments.slice(1, -1).find((s) => !t.claimed.has(s.file));
  if (seg === undefined)
    throw invalidInput(
      `fault ${t.fault} needs a shard with 3+ segments (shard ${t.shard.shard_id} has ${t.shard.segments.length}); lower --segment-rows`,
      { field: 'faults' },
    );
  t.claimed.add(seg.file);
  return seg;
}

/**
 * An entry_id from a complete segment elsewhere: shard 00's first segment (never faulted when there
 * are other shards), else another shard's, else (one shard) another segment of the target.
 */
async function donorEntryId(t: FaultTarget): Promise<{ donor: string; entryId: string }> {
  const donorShard = t.allShards.find((s) => s !== t.shard && s.segments.length > 0);
  const donorSeg = donorShard?.segments[0] ?? segmentAt(t, -1);
  const donorId = donorShard?.shard_id ?? t.shard.shard_id;
  const file = path.join(shardDateDir(t.options.out, donorId, t.options.date), donorSeg.file);
  const row = await t.db.one<{ entry_id: string }>(
    renderSql('generate/faults/first_entry_id.sql', { file: quoteString(file) }),
  );
  return { donor: `shard ${donorId} ${donorSeg.file}`, entryId: row.entry_id };
}
