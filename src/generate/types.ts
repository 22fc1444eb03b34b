import type { SegmentEntry } from './segment-index.js';

/** Every input fault of SPEC sections 2-3 the generator can inject, in the order shards are assigned. */
export const faultNames = [
  'missing_segment_file',
  'short_segment',
  'long_segment',
  'seq_gap',
  'index_gap',
  'missing_index',
  'unparseable_index',
  'unsorted_index',
  'exact_duplicates',
  'conflicting_seq',
  'conflicting_entry_id',
  'replica_lag',
  'unlisted_file',
  'stray_shard',
  'reject_rows',
  'cross_segment_duplicate_entry_id',
] as const;
export type FaultName = (typeof faultNames)[number];

export interface FaultReport {
  fault: FaultName;
  shard: string;
  file?: string;
  detail: string;
}

export interface GenerateOptions {
  out: string;
  shards: number;
  merchants: number;
  entries: number;
  currencies: string[];
  /** Share (0..<1) of entries and of distinct customers that belong to the top merchant M000000. */
  skew: number;
  seed: number;
  /** Settlement date, YYYY-MM-DD. */
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
  segments: SegmentEntry[];
}

export interface GenerateReport {
  out: string;
  accounts: number;
  /** Rows written by the generator, before faults add or drop any. */
  entries: number;
  shards: GeneratedShard[];
  faults: FaultReport[];
}
