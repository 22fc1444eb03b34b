import { LIST, VARCHAR, listValue, type DuckDBDataChunk } from '@duckdb/node-api';
import type { Db } from '../db/duckdb.js';
import { errorMessage } from '../errors.js';
import { quoteIdentifier } from '../sql/fragment.js';
import { renderSql } from '../sql/load.js';
import type { WarehouseLayout } from '../warehouse/layout.js';
import { publishedDataGlob } from '../warehouse/published.js';
import type { SuccessMarker } from '../warehouse/versions.js';
import {
  NUMBER_COLUMNS,
  isCount,
  narrowCasts,
  rangeAggregates,
  widthFor,
  type IntWidth,
} from './int-column.js';
import { VersionBuilder } from './version-builder.js';
import type { VersionData } from './version-data.js';

/** A published version that cannot be served: its message is the reason, safe to show. */
export class VersionUnavailable extends Error {}

interface Profile {
  row_count: bigint;
  first_date: string | null;
  last_date: string | null;
  non_null_keys: bigint;
  [range: string]: unknown;
}

/**
 * Reads one published version's Parquet into memory (DuckDB reads the files; bound parameters
 * only). Checks what binary search and the API rely on: the row count of `_SUCCESS`, one
 * settlement date, no NULL keys, flags or measures, counts that are exact JSON numbers, rows in
 * dataset order.
 */
export async function loadVersion(
  layout: WarehouseLayout,
  db: Db,
  marker: SuccessMarker,
): Promise<VersionData> {
  try {
    return await readVersion(db, publishedDataGlob(layout, marker), marker);
  } catch (err) {
    throw new VersionUnavailable(
      `version ${marker.version} cannot be read: ${readableReason(err, layout)}`,
    );
  }
}

async function readVersion(db: Db, data: string, marker: SuccessMarker): Promise<VersionData> {
  const sql = renderSql('serve/version_profile.sql', { ranges: rangeAggregates() });
  const profile = (await db.all<Profile>(sql, { data }))[0] as Profile;
  checkProfile(profile, marker);
  const widths = NUMBER_COLUMNS.map((c) =>
    widthFor(
      (profile[`min_${c}`] as bigint | null) ?? 0n,
      (profile[`max_${c}`] as bigint | null) ?? 0n,
    ),
  );
  const currencies = await dictionary(db, data, 'currency');
  const reasons = await dictionary(db, data, 'incomplete_reason');
  if (currencies.length > 0xffff) throw new Error('it has more than 65535 currencies');
  const builder = new VersionBuilder(Number(profile.row_count), widths);
  await readRows(db, data, { currencies, reasons }, widths, (chunk) => builder.append(chunk.chunk));
  return builder.finish(marker, currencies, reasons);
}

/**
 * DuckDB's first line names the problem ("No files found that match the pattern ..."); the
 * warehouse's absolute path is replaced so a response does not show the server's file system.
 */
export function readableReason(err: unknown, layout: WarehouseLayout): string {
  return (errorMessage(err).split('\n')[0] ?? '')
    .replace(/^[A-Za-z ]*Error: /, '')
    .replaceAll(layout.root, '<warehouse>');
}

function checkProfile(profile: Profile, marker: SuccessMarker): void {
  const rows = Number(profile.row_count);
  if (rows !== marker.row_count)
    throw new Error(`its data files hold ${rows} rows, its _SUCCESS says ${marker.row_count}`);
  const date = marker.settlement_date;
  if (rows > 0 && (profile.first_date !== date || profile.last_date !== date))
    throw new Error(`its rows are not all of settlement date ${date}`);
  if (profile.non_null_keys !== profile.row_count)
    throw new Error('it has rows with a NULL key or flag');
  for (const c of NUMBER_COLUMNS) {
    if (profile[`n_${c}`] !== profile.row_count) throw new Error(`column ${c} has NULLs`);
    const max = profile[`max_${c}`] as bigint | null;
    if (isCount(c) && max !== null && max > BigInt(Number.MAX_SAFE_INTEGER))
      throw new Error(`count column ${c} exceeds 2^53`);
  }
}

/** A text column's distinct values in byte order (version_dictionaries.sql). */
async function dictionary(db: Db, data: string, column: string): Promise<string[]> {
  const sql = renderSql('serve/version_dictionaries.sql', { column: quoteIdentifier(column) });
  return (await db.all<{ value: string }>(sql, { data })).map((r) => r.value);
}

/** Chunks (of 2048 rows) copied per turn of the event loop while a version loads. */
const CHUNKS_PER_TURN = 8;

/**
 * Runs version_rows.sql and hands its chunks over. DuckDB materialises the result on its own
 * threads; the chunks are then copied a few at a time, yielding to the event loop in between, so
 * requests keep being answered during a load and a busy server still loads in a bounded number of
 * turns. (Streaming the result cost one event-loop turn per chunk: with lookups saturating the
 * server, a 1M-row version took 3.5 s to load that way, 1.4 s this way; about 1 s either way idle.)
 */
async function readRows(
  db: Db,
  data: string,
  dictionaries: { currencies: string[]; reasons: string[] },
  widths: IntWidth[],
  onChunk: (chunk: DuckDBDataChunk) => void,
): Promise<void> {
  const result = await db.connection.run(
    renderSql('serve/version_rows.sql', { numbers: narrowCasts(widths) }),
    {
      data,
      currencies: listValue(dictionaries.currencies),
      reasons: listValue(dictionaries.reasons),
    },
    { currencies: LIST(VARCHAR), reasons: LIST(VARCHAR) },
  );
  for (let i = 0; i < result.chunkCount; i++) {
    onChunk(result.getChunk(i));
    if (i % CHUNKS_PER_TURN === CHUNKS_PER_TURN - 1) await new Promise(setImmediate);
  }
}
