import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export const DATE = '2026-04-05';

export interface Account {
  account_id: string;
  merchant_id: string;
  shard_id: string;
  currency: string;
}

/** One ledger row; `null` writes a SQL NULL. */
export interface Entry {
  entry_id: string | null;
  shard_id: string | null;
  seq: number | null;
  account_id: string | null;
  merchant_id: string | null;
  customer_ref: string | null;
  entry_type: string | null;
  /** A bigint is written exactly (amounts beyond 2^53). */
  amount_minor: number | bigint | null;
  currency: string | null;
  event_time: string | null;
  settlement_date: string | null;
}

export interface SegmentSpec {
  file: string;
  first_seq: number;
  last_seq: number;
  row_count?: number;
  /** Rows written to the file; `undefined` means the file is not written (a missing segment). */
  rows?: Entry[];
}

export interface ShardSpec {
  watermark?: string;
  /** `null` writes no _segments.json; a string is written verbatim (for malformed indexes). */
  index?: null | string;
  segments: SegmentSpec[];
}

export async function tempDir(prefix = 'settle-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** An accepted-by-default entry of `account` with the given seq; override any column. */
export function entry(account: Account, seq: number, overrides: Partial<Entry> = {}): Entry {
  return {
    entry_id: `E-${account.shard_id}-${seq}`,
    shard_id: account.shard_id,
    seq,
    account_id: account.account_id,
    merchant_id: account.merchant_id,
    customer_ref: `C${seq % 5}`,
    entry_type: 'charge',
    amount_minor: 1000 + seq,
    currency: account.currency,
    event_time: `${DATE} 12:00:00+00`,
    settlement_date: DATE,
    ...overrides,
  };
}

/** Consecutive entries starting at `firstSeq`, each shaped by `shape(seq, i)`. */
export function entries(
  account: Account,
  firstSeq: number,
  count: number,
  shape: (seq: number, i: number) => Partial<Entry> = () => ({}),
): Entry[] {
  return Array.from({ length: count }, (_, i) =>
    entry(account, firstSeq + i, shape(firstSeq + i, i)),
  );
}

/** Writes a snapshot in the SPEC layout with real Parquet files. */
export async function writeSnapshot(
  root: string,
  accounts: Account[],
  shards: Record<string, ShardSpec>,
  date = DATE,
): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    await mkdir(root, { recursive: true });
    await writeParquet(connection, path.join(root, 'accounts.parquet'), accounts, accountSelect);
    for (const [shardId, shard] of Object.entries(shards)) {
      const dir = path.join(root, `shard=${shardId}`, `date=${date}`);
      await mkdir(dir, { recursive: true });
      for (const segment of shard.segments) {
        if (segment.rows !== undefined)
          await writeParquet(connection, path.join(dir, segment.file), segment.rows, entrySelect);
      }
      if (shard.index === null) continue;
      const index =
        shard.index ??
        JSON.stringify({
          shard_id: shardId,
          settlement_date: date,
          replica_high_watermark: shard.watermark ?? '2026-04-06T00:04:10Z',
          segments: shard.segments.map((s) => ({
            file: s.file,
            first_seq: s.first_seq,
            last_seq: s.last_seq,
            row_count: s.row_count ?? s.last_seq - s.first_seq + 1,
          })),
        });
      await writeFile(path.join(dir, '_segments.json'), index);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return root;
}

const accountSelect = `SELECT account_id::VARCHAR AS account_id, merchant_id::VARCHAR AS merchant_id,
  shard_id::VARCHAR AS shard_id, currency::VARCHAR AS currency FROM rows_json`;

const entrySelect = `SELECT entry_id::VARCHAR AS entry_id, shard_id::VARCHAR AS shard_id, seq::BIGINT AS seq,
  account_id::VARCHAR AS account_id, merchant_id::VARCHAR AS merchant_id, customer_ref::VARCHAR AS customer_ref,
  entry_type::VARCHAR AS entry_type, amount_minor::BIGINT AS amount_minor, currency::VARCHAR AS currency,
  event_time::TIMESTAMPTZ AS event_time, settlement_date::DATE AS settlement_date FROM rows_json`;

async function writeParquet(
  connection: Awaited<ReturnType<DuckDBInstance['connect']>>,
  file: string,
  rows: object[],
  select: string,
): Promise<void> {
  const jsonFile = `${file}.rows.json`;
  const columns = select === entrySelect ? entryJsonColumns : accountJsonColumns;
  await writeFile(jsonFile, exactJson(rows));
  const escaped = (p: string): string => `'${p.replaceAll("'", "''")}'`;
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE rows_json AS SELECT * FROM read_json(${escaped(jsonFile)}, format = 'array', columns = ${columns})`,
  );
  await connection.run(`COPY (${select}) TO ${escaped(file)} (FORMAT parquet)`);
  const { rm } = await import('node:fs/promises');
  await rm(jsonFile);
}

/** JSON with bigints written as plain integer literals (JSON.stringify refuses them). */
function exactJson(rows: object[]): string {
  return JSON.stringify(rows, (_key, value: unknown) =>
    typeof value === 'bigint' ? `__bigint:${value}` : value,
  ).replace(/"__bigint:(-?\d+)"/g, '$1');
}

const accountJsonColumns =
  "{account_id: 'VARCHAR', merchant_id: 'VARCHAR', shard_id: 'VARCHAR', currency: 'VARCHAR'}";
const entryJsonColumns =
  "{entry_id: 'VARCHAR', shard_id: 'VARCHAR', seq: 'BIGINT', account_id: 'VARCHAR', merchant_id: 'VARCHAR', customer_ref: 'VARCHAR', entry_type: 'VARCHAR', amount_minor: 'BIGINT', currency: 'VARCHAR', event_time: 'VARCHAR', settlement_date: 'VARCHAR'}";

/** Writes ledger rows to one Parquet file (e.g. a correction file). */
export async function writeEntriesFile(file: string, rows: Entry[]): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    await mkdir(path.dirname(file), { recursive: true });
    await writeParquet(connection, file, rows, entrySelect);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return file;
}

/**
 * Two accounts on two shards, one segment each: shard 00 holds `rowsOfA` entries of M1 (USD),
 * shard 01 ten of M2 (EUR). Different sizes give versions with different totals.
 */
export async function twoShardSnapshot(rowsOfA: number): Promise<string> {
  const A: Account = { account_id: 'A1', merchant_id: 'M1', shard_id: '00', currency: 'USD' };
  const B: Account = { account_id: 'B1', merchant_id: 'M2', shard_id: '01', currency: 'EUR' };
  return writeSnapshot(await tempDir(), [A, B], {
    '00': {
      segments: [
        { file: 'seg-1.parquet', first_seq: 1, last_seq: rowsOfA, rows: entries(A, 1, rowsOfA) },
      ],
    },
    '01': {
      segments: [{ file: 'seg-1.parquet', first_seq: 1, last_seq: 10, rows: entries(B, 1, 10) }],
    },
  });
}
