import path from 'node:path';
import type { Db, Params } from '../db/duckdb.js';
import { quoteString } from '../sql/fragment.js';
import { invalidInput } from '../errors.js';
import { loadSql, renderSql } from '../sql/load.js';
import type { GeneratedShard, GenerateOptions } from './types.js';
import type { SegmentEntry } from './segment-index.js';

/** The shard a fault hits, with everything an action needs to find and rewrite its files. */
export interface FaultTarget {
  db: Db;
  options: GenerateOptions;
  fault: string;
  shard: GeneratedShard;
  allShards: GeneratedShard[];
  /** shard=<id>/date=<D> under the snapshot root. */
  dir: string;
  /** Segments of this shard that earlier faults changed or deleted; later faults leave them alone. */
  claimed: Set<string>;
}

/**
 * The first (position 0) or last (-1) segment no earlier fault claimed, with at least `minRows`
 * rows; claimed for this fault unless `claim` is false (the fault only needs one to exist).
 */
export function segmentAt(
  t: FaultTarget,
  position: 0 | -1,
  minRows = 1,
  claim = true,
): SegmentEntry {
  const free = t.shard.segments.filter((s) => !t.claimed.has(s.file) && s.row_count >= minRows);
  const seg = position === 0 ? free[0] : free[free.length - 1];
  if (seg === undefined) {
    throw invalidInput(
      `fault ${t.fault} needs a segment of ${minRows}+ rows on shard ${t.shard.shard_id} that no other fault uses; add --entries or --shards, or lower --segment-rows`,
      { field: 'faults' },
    );
  }
  if (claim) t.claimed.add(seg.file);
  return seg;
}

/** Loads a segment file into the scratch table `seg`, lets `change` edit it, writes it back in seq order. */
export async function withSegment(
  db: Db,
  file: string,
  change: () => Promise<void>,
): Promise<void> {
  await db.run(renderSql('generate/faults/load_segment.sql', { file: quoteString(file) }));
  await change();
  await db.run(
    `COPY (${loadSql('generate/faults/save_segment.sql')}) TO ${quoteString(file)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  await db.run('DROP TABLE seg');
}

/** Runs one statement of sql/generate/faults/ against a segment of the target shard. */
export async function rewriteSegment(
  t: FaultTarget,
  seg: SegmentEntry,
  sqlFile: string,
  params: Params,
  detail: string,
): Promise<{ file: string; detail: string }> {
  await withSegment(t.db, path.join(t.dir, seg.file), () =>
    t.db.run(loadSql(`generate/faults/${sqlFile}`), params),
  );
  return { file: seg.file, detail };
}
