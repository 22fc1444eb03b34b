import { createHash } from 'node:crypto';
import path from 'node:path';
import { withDb } from '../../src/db/duckdb.js';
import { quoteString } from '../../src/sql/fragment.js';
import { SPEC_COLUMNS } from './spec-columns.js';

/**
 * The content checksum text-rows-v2 computed here, independently of src/: rows read as values,
 * each rendered as text and hashed in JavaScript (node:crypto), bucketed and combined by hand.
 * Definition: a row digest is the hex sha256 of the row's values joined by "," (strings as JSON
 * strings, timestamps as epoch microseconds, dates ISO, NULL as null); a file set's digests are
 * bucketed by their first two hex digits, a bucket digest being the hex sha256 of its row digests
 * in ascending order; the checksum is the hex sha256 of
 *   "text-rows-v2\n" + header("summary") + "\n" + summary buckets + "\n" + header("rejects")
 *   + "\n" + rejects buckets,
 * the buckets of a set being each non-empty bucket's two digits and digest in bucket order, a
 * header the set's name and then "column TYPE" pairs joined by ", ".
 */
const REJECT_COLUMNS_BY_HAND: Array<[string, string]> = [
  ['entry_id', 'VARCHAR'],
  ['shard_id', 'VARCHAR'],
  ['seq', 'BIGINT'],
  ['account_id', 'VARCHAR'],
  ['merchant_id', 'VARCHAR'],
  ['customer_ref', 'VARCHAR'],
  ['entry_type', 'VARCHAR'],
  ['amount_minor', 'BIGINT'],
  ['currency', 'VARCHAR'],
  ['event_time', 'TIMESTAMP WITH TIME ZONE'],
  ['settlement_date', 'DATE'],
  ['reject_reason', 'VARCHAR'],
  ['file', 'VARCHAR'],
];

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

function text(value: unknown, type: string): string {
  if (value === null || value === undefined) return 'null';
  if (type === 'VARCHAR') return JSON.stringify(value);
  if (type === 'DATE') return (value as Date).toISOString().slice(0, 10);
  return String(value); // BIGINT (bigint), BOOLEAN, epoch microseconds (bigint)
}

const header = (name: string, columns: Array<[string, string]>): string =>
  `${name} ${columns.map(([c, t]) => `${c} ${t}`).join(', ')}`;

const digest = (row: Record<string, unknown>, columns: Array<[string, string]>): string =>
  sha256(columns.map(([c, t]) => text(row[c], t)).join(','));

export async function independentChecksum(versionDir: string): Promise<string> {
  const glob = (sub: string) => quoteString(path.join(versionDir, sub, '*.parquet'));
  const [summary, rejects] = await withDb({}, async (db) => [
    await db.all(`SELECT * FROM read_parquet(${glob('data')}, hive_partitioning = false)`),
    await db.all(
      `SELECT * REPLACE (epoch_us(event_time) AS event_time) FROM read_parquet(${glob('rejects')}, hive_partitioning = false)`,
    ),
  ]);
  return sha256(
    [
      'text-rows-v2',
      header('summary', SPEC_COLUMNS),
      buckets(summary.map((r) => digest(r, SPEC_COLUMNS))),
      header('rejects', REJECT_COLUMNS_BY_HAND),
      buckets(rejects.map((r) => digest(r, REJECT_COLUMNS_BY_HAND))),
    ].join('\n'),
  );
}

function buckets(digests: string[]): string {
  const byPrefix = new Map<string, string[]>();
  for (const d of digests) byPrefix.set(d.slice(0, 2), [...(byPrefix.get(d.slice(0, 2)) ?? []), d]);
  return [...byPrefix.keys()]
    .sort()
    .map((prefix) => prefix + sha256(byPrefix.get(prefix)!.sort().join('')))
    .join('');
}
