import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { quoteIdentifier, quoteString, type Params } from '../db/duckdb.js';
import { invalidInput } from '../errors.js';
import { loadSql, renderSql } from '../sql/load.js';
import type { GeneratedShard, GenerateOptions } from './generate.js';
import { healthyWatermark, writeIndex } from './generate.js';

/** Every fault of SPEC section 3 the generator can inject, in the order shards are assigned. */
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

interface FaultTarget {
  db: Db;
  options: GenerateOptions;
  shard: GeneratedShard;
  dir: string;
}

/**
 * Applies each selected fault to its own shard: fault j (in faultNames order) hits shard 1 + j
 * (mod the shard count, never shard 00 unless it is the only one), so the same options always
 * break the same files.
 */
export async function applyFaults(db: Db, options: GenerateOptions, shards: GeneratedShard[]): Promise<FaultReport[]> {
  const selected = faultNames.filter((f) => options.faults.includes(f));
  const reports: FaultReport[] = [];
  for (const [j, fault] of selected.entries()) {
    const shard = shards.length === 1 ? shards[0] : shards[1 + (j % (shards.length - 1))];
    if (shard === undefined) continue;
    const dir = path.join(options.out, `shard=${shard.shard_id}`, `date=${options.date}`);
    reports.push({ fault, shard: shard.shard_id, ...(await faultActions[fault]({ db, options, shard, dir })) });
  }
  return reports;
}

type FaultAction = (target: FaultTarget) => Promise<{ file?: string; detail: string }>;

const faultActions: Record<FaultName, FaultAction> = {
  missing_segment_file: async (t) => {
    const seg = segmentAt(t, -1);
    await rm(path.join(t.dir, seg.file));
    return { file: seg.file, detail: 'listed segment file deleted' };
  },
  short_segment: (t) => mutate(t, 0, 'drop_last_row.sql', {}, 'last row dropped'),
  long_segment: (t) => mutate(t, 0, 'add_row_beyond.sql', {}, 'extra row past last_seq'),
  seq_gap: (t) => mutate(t, 0, 'shift_seqs.sql', { from: segmentAt(t, 0).first_seq + 1 }, 'hole at first_seq + 1, same row count'),
  index_gap: async (t) => {
    if (t.shard.segments.length < 3) throw invalidInput(`fault index_gap needs a shard with 3 or more segments (shard ${t.shard.shard_id} has ${t.shard.segments.length}); lower --segment-rows`);
    const removed = segmentAt(t, 1);
    await writeIndex(t.dir, t.shard.shard_id, t.options.date, t.shard.segments.filter((s) => s !== removed), healthyWatermark(t.options.date));
    return { file: removed.file, detail: 'middle segment left out of the index (file stays, unlisted)' };
  },
  missing_index: async (t) => {
    await rm(path.join(t.dir, '_segments.json'));
    return { file: '_segments.json', detail: 'segment index deleted' };
  },
  unparseable_index: async (t) => {
    await writeFile(path.join(t.dir, '_segments.json'), `{"shard_id": "${t.shard.shard_id}", "segments": [`);
    return { file: '_segments.json', detail: 'segment index is not valid JSON' };
  },
  unsorted_index: async (t) => {
    if (t.shard.segments.length < 2) throw invalidInput(`fault unsorted_index needs a shard with 2 or more segments; lower --segment-rows`);
    await writeIndex(t.dir, t.shard.shard_id, t.options.date, [...t.shard.segments].reverse(), healthyWatermark(t.options.date));
    return { file: '_segments.json', detail: 'segments listed in reverse first_seq order' };
  },
  exact_duplicates: (t) => mutate(t, 0, 'duplicate_rows.sql', {}, 'three rows duplicated identically'),
  conflicting_seq: (t) => mutate(t, 0, 'conflicting_seq.sql', {}, 'a different row with the first seq'),
  conflicting_entry_id: (t) => mutate(t, 0, 'conflicting_entry_id.sql', {}, 'second row reuses the first row entry_id'),
  replica_lag: async (t) => {
    await writeIndex(t.dir, t.shard.shard_id, t.options.date, t.shard.segments, `${t.options.date}T23:00:00Z`);
    return { file: '_segments.json', detail: 'replica_high_watermark one hour before the cutoff' };
  },
  unlisted_file: async (t) => {
    await copyFile(path.join(t.dir, segmentAt(t, 0).file), path.join(t.dir, 'seg-unlisted.parquet'));
    return { file: 'seg-unlisted.parquet', detail: 'a Parquet file the index does not list' };
  },
  stray_shard: async (t) => {
    const stray = path.join(t.options.out, 'shard=stray', `date=${t.options.date}`);
    await mkdir(stray, { recursive: true });
    await copyFile(path.join(t.dir, segmentAt(t, 0).file), path.join(stray, 'seg-000001.parquet'));
    await writeIndex(stray, 'stray', t.options.date, [{ ...segmentAt(t, 0), file: 'seg-000001.parquet' }], healthyWatermark(t.options.date));
    return { file: 'shard=stray', detail: 'a shard directory the account directory does not name' };
  },
  reject_rows: injectRejects,
  cross_segment_duplicate_entry_id: (t) => mutate(t, 0, 'set_first_entry_id.sql', { entry_id: 'E-00-1' }, 'first row reuses entry_id E-00-1 of shard 00'),
};

function segmentAt(t: FaultTarget, position: number): GeneratedShard['segments'][number] {
  const segments = t.shard.segments;
  const seg = segments[position < 0 ? segments.length + position : Math.min(position, segments.length - 1)];
  if (seg === undefined) throw invalidInput(`shard ${t.shard.shard_id} has no segment to fault; add entries`);
  return seg;
}

/** Loads a segment into a scratch table, runs one fault statement, and writes the file back. */
async function mutate(t: FaultTarget, position: number, sqlFile: string, params: Params, detail: string): Promise<{ file: string; detail: string }> {
  const seg = segmentAt(t, position);
  await withSegment(t.db, path.join(t.dir, seg.file), () => t.db.run(loadSql(`generate/faults/${sqlFile}`), params));
  return { file: seg.file, detail };
}

async function withSegment(db: Db, file: string, change: () => Promise<void>): Promise<void> {
  await db.run(renderSql('generate/faults/load_segment.sql', { file: quoteString(file) }));
  await change();
  await db.run(`COPY (${loadSql('generate/faults/save_segment.sql')}) TO ${quoteString(file)} (FORMAT parquet, COMPRESSION zstd)`);
  await db.run('DROP TABLE seg');
}

const columnTypes = {
  entry_type: 'VARCHAR',
  amount_minor: 'BIGINT',
  currency: 'VARCHAR',
  merchant_id: 'VARCHAR',
  account_id: 'VARCHAR',
  shard_id: 'VARCHAR',
  settlement_date: 'DATE',
  customer_ref: 'VARCHAR',
} as const;
type Override = Partial<Record<keyof typeof columnTypes, string | number | null>>;

/** At least two rows for every reject reason of SPEC section 3 (except duplicate_entry_id). */
function rejectOverrides(options: GenerateOptions): Array<[string, Override]> {
  const otherCurrency = ['CHF', 'GBP', 'USD', 'EUR'].find((c) => !options.currencies.includes(c)) ?? 'XCD';
  const dayBefore = new Date(Date.parse(`${options.date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return [
    ['unknown_entry_type', { entry_type: 'CHARGE' }],
    ['unknown_entry_type', { entry_type: null }],
    ['bad_amount', { amount_minor: 0 }],
    ['bad_amount', { amount_minor: -5 }],
    ['bad_amount', { amount_minor: null }],
    ['bad_currency', { currency: 'usd' }],
    ['bad_currency', { currency: 'XXY' }],
    ['bad_currency', { currency: null }],
    ['bad_currency', { currency: '' }],
    ['missing_key', { merchant_id: null }],
    ['missing_key', { merchant_id: '' }],
    ['missing_key', { account_id: null }],
    ['missing_key', { account_id: '' }],
    ['unknown_account', { account_id: 'NO-SUCH-ACCOUNT-1' }],
    ['unknown_account', { account_id: 'NO-SUCH-ACCOUNT-2' }],
    ['directory_mismatch', { merchant_id: 'M-not-the-owner' }],
    ['directory_mismatch', { shard_id: 'zz' }],
    ['directory_mismatch', { currency: otherCurrency }],
    ['out_of_window', { settlement_date: dayBefore }],
    ['out_of_window', { settlement_date: null }],
    ['missing_customer_ref', { entry_type: 'charge', customer_ref: null }],
    ['missing_customer_ref', { entry_type: 'charge', customer_ref: '' }],
  ];
}

async function injectRejects(t: FaultTarget): Promise<{ file: string; detail: string }> {
  const seg = segmentAt(t, 0);
  const overrides = rejectOverrides(t.options);
  if (seg.row_count < overrides.length) throw invalidInput(`fault reject_rows needs a segment of ${overrides.length} or more rows; add entries`);
  await withSegment(t.db, path.join(t.dir, seg.file), async () => {
    for (const [k, [, override]] of overrides.entries()) {
      for (const [column, value] of Object.entries(override) as Array<[keyof typeof columnTypes, string | number | null]>) {
        await t.db.run(renderSql('generate/faults/set_column.sql', { column: quoteIdentifier(column), type: columnTypes[column] }), { value, seq: seg.first_seq + k });
      }
    }
  });
  const reasons = [...new Set(overrides.map(([reason]) => reason))];
  return { file: seg.file, detail: `rows ${seg.first_seq}..${seg.first_seq + overrides.length - 1}: ${reasons.join(', ')}` };
}
