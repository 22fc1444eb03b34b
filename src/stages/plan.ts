import { DEFAULT_PARTITIONS } from '../contract/defaults.js';
import type { Manifest } from '../contract/manifest.js';
import type { ShuffleSettings } from './partitioning.js';

/**
 * How a run is cut into tasks, from the size of its input (what the manifest records): small
 * shards share a scan task so that a small day does not pay a task's fixed cost per shard, and
 * the reduce side gets one partition per RAW_BYTES_PER_PARTITION of input, up to the default.
 * None of it changes the content checksum.
 */
const SCAN_TASK_BYTES = 64 * 2 ** 20;

/** SETTLE_SCAN_TASK_BYTES overrides the group size (the crash tests use it to get many tasks). */
function scanTaskBytes(): number {
  const override = Number(process.env['SETTLE_SCAN_TASK_BYTES']);
  return Number.isSafeInteger(override) && override > 0 ? override : SCAN_TASK_BYTES;
}
/**
 * One reduce partition per 256 MiB of segments: a 10M-entry day (155 MB) reduces in one
 * partition, 7.2 s against 8.0 s with two (side by side; one partition needs no sort by
 * partition in the scans and one reduce task instead of two).
 */
const BYTES_PER_PARTITION = 256 * 2 ** 20;

function shardBytes(manifest: Manifest): Map<string, number> {
  const bytes = new Map<string, number>(manifest.shards.map((s) => [s.shard_id, 0]));
  for (const file of manifest.files) {
    if (file.role !== 'segment') continue;
    const shard = /^shard=([^/]+)\//.exec(file.path)?.[1];
    if (shard !== undefined && bytes.has(shard))
      bytes.set(shard, (bytes.get(shard) ?? 0) + file.bytes);
  }
  return bytes;
}

/** Consecutive shards (manifest order) grouped until a group holds SCAN_TASK_BYTES of segments. */
export function groupShards(manifest: Manifest): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const [shard, size] of shardBytes(manifest)) {
    current.push(shard);
    bytes += size;
    if (bytes >= scanTaskBytes()) {
      groups.push(current);
      [current, bytes] = [[], 0];
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Reduce partitions and salts: as asked, or one partition per 256 MiB of segments (1..8). */
export function shuffleFor(
  manifest: Manifest,
  requested: { partitions?: number; salts?: number },
): ShuffleSettings {
  const total = [...shardBytes(manifest).values()].reduce((a, b) => a + b, 0);
  const partitions =
    requested.partitions ??
    Math.min(DEFAULT_PARTITIONS, Math.max(1, Math.ceil(total / BYTES_PER_PARTITION)));
  return { partitions, salts: Math.min(requested.salts ?? partitions, partitions) };
}
