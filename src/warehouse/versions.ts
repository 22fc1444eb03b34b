import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isDirectory, listDir, writeFileAtomic } from '../util/files.js';
import { versionFiles, type WarehouseLayout } from './layout.js';

export interface Lineage {
  manifest_sha256: string;
  input_epoch: string;
  settlement_date: string;
  opening_version: string | null;
  supersedes: string | null;
}

/** The `_SUCCESS` marker: its presence is what makes a version exist for consumers. */
export interface SuccessMarker {
  dataset: string;
  version: string;
  settlement_date: string;
  row_count: number;
  reject_count: number;
  content_checksum: string;
  created_at: string;
  lineage: Lineage;
}

export interface Pointer {
  version: string;
  content_checksum: string;
  updated_at: string;
  reason: 'publish' | 'rollback' | 'republish';
}

export interface HistoryEvent {
  at: string;
  event: 'publish' | 'rollback' | 'republish';
  version: string;
  previous: string | null;
}

export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function readPointer(
  layout: WarehouseLayout,
  settlementDate: string,
): Promise<Pointer | undefined> {
  return readJson<Pointer>(layout.pointer(settlementDate));
}

export function readSuccess(
  layout: WarehouseLayout,
  settlementDate: string,
  version: string,
): Promise<SuccessMarker | undefined> {
  return readJson<SuccessMarker>(
    path.join(layout.versionDir(settlementDate, version), versionFiles.success),
  );
}

/** Swaps the date's pointer atomically (temp file, fsync, rename, fsync directory) and records it. */
export async function swapPointer(
  layout: WarehouseLayout,
  settlementDate: string,
  marker: SuccessMarker,
  reason: Pointer['reason'],
): Promise<void> {
  const previous = await readPointer(layout, settlementDate);
  const pointer: Pointer = {
    version: marker.version,
    content_checksum: marker.content_checksum,
    updated_at: new Date().toISOString(),
    reason,
  };
  await writeFileAtomic(layout.pointer(settlementDate), `${JSON.stringify(pointer, null, 2)}\n`);
  const event: HistoryEvent = {
    at: pointer.updated_at,
    event: reason,
    version: marker.version,
    previous: previous?.version ?? null,
  };
  await appendFile(layout.history(settlementDate), `${JSON.stringify(event)}\n`);
}

export async function readHistory(
  layout: WarehouseLayout,
  settlementDate: string,
): Promise<HistoryEvent[]> {
  let text: string;
  try {
    text = await readFile(layout.history(settlementDate), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as HistoryEvent];
      } catch {
        return [];
      }
    });
}

export async function listDates(layout: WarehouseLayout): Promise<string[]> {
  return (await listDir(layout.datasetDir))
    .filter((d) => d.startsWith('date='))
    .map((d) => d.slice('date='.length));
}

/** Every directory named `version` under any date (published or not), with its date. */
export async function findVersionDirs(
  layout: WarehouseLayout,
  version: string,
): Promise<Array<{ settlementDate: string; dir: string }>> {
  const found: Array<{ settlementDate: string; dir: string }> = [];
  for (const date of await listDates(layout)) {
    const dir = layout.versionDir(date, version);
    if (await isDirectory(dir)) found.push({ settlementDate: date, dir });
  }
  return found;
}

/** Published versions of a date (those with a readable `_SUCCESS`), oldest first. */
export async function publishedVersions(
  layout: WarehouseLayout,
  settlementDate: string,
): Promise<SuccessMarker[]> {
  const markers: SuccessMarker[] = [];
  for (const name of await listDir(layout.dateDir(settlementDate))) {
    if (!name.startsWith('v')) continue;
    const marker = await readSuccess(layout, settlementDate, name);
    if (marker !== undefined) markers.push(marker);
  }
  return markers.sort(
    (a, b) => a.created_at.localeCompare(b.created_at) || a.version.localeCompare(b.version),
  );
}
