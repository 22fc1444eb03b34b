import { cutoffFor } from '../util/dates.js';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One entry of a shard's `_segments.json` (SPEC section 2). */
export interface SegmentEntry {
  file: string;
  first_seq: number;
  last_seq: number;
  row_count: number;
}

export interface SegmentIndex {
  shard_id: string;
  settlement_date: string;
  replica_high_watermark: string;
  segments: SegmentEntry[];
}

export function shardDateDir(out: string, shardId: string, date: string): string {
  return path.join(out, `shard=${shardId}`, `date=${date}`);
}

/** A timely replica: 4m10s after the cutoff (the start of the next day, UTC). */
export function healthyWatermark(date: string): string {
  return new Date(cutoffFor(date) + 250_000).toISOString().replace('.000Z', 'Z');
}

export async function writeIndex(dir: string, index: SegmentIndex): Promise<void> {
  await writeFile(path.join(dir, '_segments.json'), `${JSON.stringify(index, null, 2)}\n`);
}

/** Read-modify-write, so faults that edit the same index compose. */
export async function editIndex(
  dir: string,
  edit: (index: SegmentIndex) => SegmentIndex,
): Promise<void> {
  const index = JSON.parse(
    await readFile(path.join(dir, '_segments.json'), 'utf8'),
  ) as SegmentIndex;
  await writeIndex(dir, edit(index));
}
