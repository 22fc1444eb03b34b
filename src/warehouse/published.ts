import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { isoDate, versionId } from '../contract/manifest.js';
import { CHECKSUM_ALGORITHMS } from '../contract/checksum.js';
import { listDir } from '../util/files.js';
import { versionFiles, type WarehouseLayout } from './layout.js';
import type { Pointer, SuccessMarker } from './versions.js';

/**
 * What a long-running reader (settle serve) sees of a warehouse: per date, the published versions
 * (those with a valid `_SUCCESS`) and the state of `CURRENT`. A scan reuses the markers of an
 * earlier scan (a published version never changes) so that polling costs one directory listing
 * and one small read per date.
 */
export type PointerState =
  | { kind: 'missing' }
  | { kind: 'damaged'; reason: string }
  | { kind: 'ok'; pointer: Pointer; marker: SuccessMarker };

export interface PublishedDate {
  date: string;
  pointer: PointerState;
  /** Published versions by id, oldest first (by created_at, then id). */
  versions: ReadonlyMap<string, SuccessMarker>;
}

export interface PublishedState {
  /** Dates with at least one published version, newest first. */
  dates: readonly PublishedDate[];
}

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

const markerSchema = z.object({
  dataset: z.string(),
  version: versionId,
  settlement_date: isoDate,
  row_count: z.number().int().nonnegative(),
  reject_count: z.number().int().nonnegative(),
  content_checksum: sha256,
  checksum_algorithm: z.enum(CHECKSUM_ALGORITHMS).optional(),
  created_at: z.string(),
  lineage: z.object({
    manifest_sha256: z.string(),
    input_epoch: z.string(),
    settlement_date: z.string(),
    opening_version: z.string().nullable(),
    supersedes: z.string().nullable(),
  }),
});

const eventKind = z.enum(['publish', 'rollback', 'republish']);
const pointerSchema = z.object({
  version: versionId,
  content_checksum: sha256,
  updated_at: z.string(),
  reason: eventKind,
  // Pointers written before the history moved into CURRENT have none.
  history: z
    .array(
      z.object({
        at: z.string(),
        event: eventKind,
        version: z.string(),
        previous: z.string().nullable(),
      }),
    )
    .default([]),
});

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A version's `_SUCCESS`, if it exists and names this very version and date. */
async function readMarker(
  layout: WarehouseLayout,
  date: string,
  version: string,
): Promise<SuccessMarker | undefined> {
  const text = await readText(path.join(layout.versionDir(date, version), versionFiles.success));
  if (text === undefined) return undefined;
  const parsed = markerSchema.safeParse(parseJson(text));
  if (!parsed.success) return undefined;
  const marker = parsed.data;
  return marker.version === version && marker.settlement_date === date ? marker : undefined;
}

function pointerState(
  text: string | undefined,
  versions: Map<string, SuccessMarker>,
): PointerState {
  if (text === undefined) return { kind: 'missing' };
  const parsed = pointerSchema.safeParse(parseJson(text));
  if (!parsed.success) return { kind: 'damaged', reason: 'CURRENT is not a valid pointer file' };
  const pointer = parsed.data;
  const marker = versions.get(pointer.version);
  if (marker === undefined)
    return { kind: 'damaged', reason: `CURRENT names ${pointer.version}, which is not published` };
  if (marker.content_checksum !== pointer.content_checksum)
    return {
      kind: 'damaged',
      reason: `CURRENT's checksum for ${pointer.version} differs from its _SUCCESS`,
    };
  return { kind: 'ok', pointer, marker };
}

async function scanDate(
  layout: WarehouseLayout,
  date: string,
  previous: PublishedDate | undefined,
): Promise<PublishedDate> {
  const found = new Map<string, SuccessMarker>();
  for (const name of await listDir(layout.dateDir(date))) {
    if (!versionId.safeParse(name).success) continue;
    const marker = previous?.versions.get(name) ?? (await readMarker(layout, date, name));
    if (marker !== undefined) found.set(name, marker);
  }
  const ordered = [...found.values()].sort(
    (a, b) => a.created_at.localeCompare(b.created_at) || a.version.localeCompare(b.version),
  );
  const versions = new Map(ordered.map((m) => [m.version, m]));
  return { date, versions, pointer: pointerState(await readText(layout.pointer(date)), versions) };
}

/** Scans every date of the dataset; `previous` lets known markers be reused. */
export async function scanPublished(
  layout: WarehouseLayout,
  previous?: PublishedState,
): Promise<PublishedState> {
  const known = new Map(previous?.dates.map((d) => [d.date, d]));
  const dates: PublishedDate[] = [];
  for (const name of await listDir(layout.datasetDir)) {
    const date = name.startsWith('date=') ? name.slice('date='.length) : '';
    if (!isoDate.safeParse(date).success) continue;
    const scanned = await scanDate(layout, date, known.get(date));
    if (scanned.versions.size > 0) dates.push(scanned);
  }
  return { dates: dates.sort((a, b) => b.date.localeCompare(a.date)) };
}

/** The glob of a published version's data files (only ever built from a scanned marker). */
export function publishedDataGlob(layout: WarehouseLayout, marker: SuccessMarker): string {
  return path.join(
    layout.versionDir(marker.settlement_date, marker.version),
    versionFiles.data,
    '*.parquet',
  );
}

/** A published version's run report, if readable (its `shards[].incomplete` explain incomplete books). */
export async function readRunReport(
  layout: WarehouseLayout,
  marker: SuccessMarker,
): Promise<unknown> {
  const text = await readText(
    path.join(layout.versionDir(marker.settlement_date, marker.version), versionFiles.report),
  );
  return text === undefined ? undefined : parseJson(text);
}
