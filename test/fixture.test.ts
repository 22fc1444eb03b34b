import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeReference, loadIsoCurrencies, type ReferenceResult } from './util/reference.js';
import { repoRoot, settle } from './util/pipeline.js';
import { SPEC_COLUMNS } from './util/spec-columns.js';
import { withDb } from '../src/db/duckdb.js';
import { quoteString } from '../src/sql/fragment.js';
import { contentChecksum } from '../src/stages/publish.js';
import { independentChecksum } from './util/checksum.js';

/**
 * The committed fixture snapshot (fixtures/snapshot, made by `settle generate` with every fault of
 * SPEC section 3) against (a) the independent row-by-row reference implementation and (b) the
 * committed golden file that reference produced. Regenerate the golden with UPDATE_GOLDEN=1 only
 * after checking the change by hand.
 */
const snapshot = path.join(repoRoot, 'fixtures', 'snapshot');
const goldenFile = path.join(repoRoot, 'fixtures', 'expected', 'summary.json');

let pipeline: Awaited<ReturnType<typeof settle>>;
let reference: ReferenceResult;

const plain = (value: unknown): unknown => {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value;
};
const normalise = (row: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)]));

beforeAll(async () => {
  // Two threads, whatever SETTLE_THREADS says: the parallel plan is what users run.
  pipeline = await settle(snapshot, { threads: 2 });
  reference = await computeReference({
    snapshotDir: snapshot,
    settlementDate: '2026-04-05',
    isoCurrencies: await loadIsoCurrencies(),
  });
  if (process.env['UPDATE_GOLDEN'] === '1') {
    await mkdir(path.dirname(goldenFile), { recursive: true });
    await writeFile(
      goldenFile,
      `${JSON.stringify({ rows: reference.rows.map((r) => normalise(r as unknown as Record<string, unknown>)), rejects: reference.rejects.map((r) => normalise(r as unknown as Record<string, unknown>)) }, null, 1)}\n`,
    );
  }
});

describe('fixture snapshot: pipeline vs independent reference vs golden', () => {
  it('exercises every fault and reject reason', () => {
    const reasons = new Set(reference.rejects.map((r) => r.reject_reason));
    expect([...reasons].sort()).toEqual([
      'bad_amount',
      'bad_currency',
      'directory_mismatch',
      'missing_customer_ref',
      'missing_key',
      'out_of_window',
      'unknown_account',
      'unknown_entry_type',
    ]);
    const incomplete = Object.entries(reference.shards)
      .filter(([, s]) => !s.complete)
      .map(([id]) => id);
    // Shards 01-08, 10-12 carry a fault that makes them incomplete; 09 (exact duplicates),
    // 13 (unlisted file), 14 (stray shard dir) and 15 (reject rows) stay complete.
    expect(incomplete.sort()).toEqual([
      '01',
      '02',
      '03',
      '04',
      '05',
      '06',
      '07',
      '08',
      '10',
      '11',
      '12',
    ]);
    expect(pipeline.report.shards.find((s) => s.shard_id === '09')?.duplicates_removed).toBe(3);
    expect(pipeline.report.unlisted_files.length).toBeGreaterThan(0);
  });

  it('the content checksum (text-rows-v2) is the one computed independently here, and pinned', async () => {
    expect(pipeline.contentChecksum).toBe(await independentChecksum(pipeline.versionDir));
    // A change here changes every version's checksum: a new algorithm needs a new name
    // (contract/checksum.ts), so that versions published with this one still verify. A
    // regenerated fixture snapshot (npm run fixture) changes it legitimately: check, then update.
    expect(pipeline.contentChecksum).toBe(
      'c42043a84f688252c4d6b393684d45b89c07b7dece595c633b861cefb5c4170d',
    );
  });

  it('json-rows-v1 still computes what earlier builds recorded (verify of their versions relies on it)', async () => {
    const legacy = await withDb({}, (db) =>
      contentChecksum(db, pipeline.versionDir, 'json-rows-v1'),
    );
    expect(legacy.contentChecksum).toBe(
      '1f8409155760dabd168b3108500c3db5a939859de6fe5dc2a6f59545d297415e',
    );
  });

  it('the data file holds the rows in dataset order (merchant_id, currency; byte order)', () => {
    const keys = pipeline.rows.map((r) =>
      Buffer.from(`${String(r['merchant_id'])}\0${String(r['currency'])}`),
    );
    const sorted = [...keys].sort(Buffer.compare);
    expect(keys).toEqual(sorted);
  });

  it('the published Parquet schema is the contract: names, order and types', async () => {
    const columns = await withDb({}, (db) =>
      db.all<{ column_name: string; column_type: string }>(
        `DESCRIBE SELECT * FROM read_parquet(${quoteString(path.join(pipeline.versionDir, 'data', '*.parquet'))}, hive_partitioning = false)`,
      ),
    );
    expect(columns.map((c) => [c.column_name, c.column_type])).toEqual(SPEC_COLUMNS);
  });

  it('every published column of every row equals the reference', () => {
    const actual = pipeline.rows.map(normalise);
    const expected = reference.rows.map((r) => normalise(r as unknown as Record<string, unknown>));
    expect(actual.map((r) => `${String(r['merchant_id'])}/${String(r['currency'])}`)).toEqual(
      expected.map((r) => `${String(r['merchant_id'])}/${String(r['currency'])}`),
    );
    expect(Object.keys(actual[0] ?? {})).toEqual(Object.keys(expected[0] ?? {}));
    for (const [i, row] of actual.entries()) {
      for (const column of Object.keys(row)) {
        expect(
          row[column],
          `${String(row['merchant_id'])}/${String(row['currency'])}.${column}`,
        ).toEqual(expected[i]?.[column]);
      }
    }
  });

  it('rejects equal the reference (entry, file, reason) and row totals agree', () => {
    const key = (r: Record<string, unknown>): string =>
      `${String(r['file'])}#${String(r['seq'])}#${String(r['entry_id'])}#${String(r['reject_reason'])}`;
    expect(pipeline.rejects.map(key).sort()).toEqual(
      reference.rejects.map((r) => key(r as unknown as Record<string, unknown>)).sort(),
    );
    const shards = pipeline.report.shards;
    expect(BigInt(shards.reduce((a, s) => a + s.accepted, 0))).toBe(reference.stats.accepted);
    expect(BigInt(shards.reduce((a, s) => a + s.rejected, 0))).toBe(reference.stats.rejected);
  });

  it('per shard: rows read, accepted, rejected, excluded and duplicates removed equal the reference', () => {
    const counts = (s: Record<string, unknown>) =>
      ['rows_read', 'accepted', 'rejected', 'excluded', 'duplicates_removed'].map((k) =>
        String(s[k]),
      );
    const pipelineShards = Object.fromEntries(
      pipeline.report.shards
        .filter((s) => s.shard_id !== 'corrections')
        .map((s) => [s.shard_id, counts(s)]),
    );
    const referenceShards = Object.fromEntries(
      Object.entries(reference.shardStats).map(([id, s]) => [id, counts(s)]),
    );
    expect(pipelineShards).toEqual(referenceShards);
  });

  it('the committed golden file still describes the reference and the pipeline', async () => {
    const golden = JSON.parse(await readFile(goldenFile, 'utf8')) as {
      rows: Array<Record<string, unknown>>;
    };
    expect(reference.rows.map((r) => normalise(r as unknown as Record<string, unknown>))).toEqual(
      golden.rows,
    );
    expect(pipeline.rows.map(normalise)).toEqual(golden.rows);
  });
});
