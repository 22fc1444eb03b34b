import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { invalidInput } from '../errors.js';
import { versionId } from '../contract/manifest.js';
import type { ChecksumAlgorithm } from '../contract/checksum.js';
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
  /** How content_checksum was computed (contract/checksum.ts); absent: json-rows-v1. */
  checksum_algorithm?: ChecksumAlgorithm;
  created_at: string;
  lineage: Lineage;
}

export interface HistoryEvent {
  at: string;
  event: 'publish' | 'rollback' | 'republish';
  version: string;
  previous: string | null;
}

/**
 * `CURRENT`: the version consumers read, and every pointer move of the date so far. The history
 * travels inside the pointer so that one atomic rename moves both: no later write can fail and
 * leave a moved pointer behind. `_history.jsonl` is a copy for people, rewritten after each move.
 */
export interface Pointer {
  version: string;
  content_checksum: string;
  updated_at: string;
  reason: HistoryEvent['event'];
  history: HistoryEvent[];
}

export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * The date's pointer, or undefined when the date has none. A pointer that exists but cannot be
 * read, does not parse or names no version id is damaged: exit 2 naming it, never "no version".
 */
export async function readPointer(
  layout: WarehouseLayout,
  settlementDate: string,
): Promise<Pointer | undefined> {
  const file = layout.pointer(settlementDate);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw damaged(file, `cannot be read (${(err as Error).message.split('\n')[0]})`);
  }
  let pointer: Partial<Pointer>;
  try {
    pointer = JSON.parse(text) as Partial<Pointer>;
  } catch {
    throw damaged(file, 'is not valid JSON');
  }
  if (
    typeof pointer !== 'object' ||
    pointer === null ||
    !versionId.safeParse(pointer.version).success
  )
    throw damaged(file, 'names no valid version');
  const history = Array.isArray(pointer.history)
    ? pointer.history
    : await readHistoryCopy(layout, settlementDate);
  return { ...(pointer as Pointer), history };
}

function damaged(file: string, problem: string): Error {
  return invalidInput(
    `${file}: CURRENT ${problem}; repair it (remove it and run settle rollback --to <version>) before using this warehouse`,
    { file },
  );
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

/**
 * Swaps the date's pointer atomically (temp file, fsync, rename, fsync directory), with the move
 * recorded in the pointer's history. This is the last write a publish or rollback needs: what
 * follows (the history copy, the catalog) is derived and rewritten by the next pointer move.
 */
export async function swapPointer(
  layout: WarehouseLayout,
  settlementDate: string,
  marker: SuccessMarker,
  reason: Pointer['reason'],
): Promise<Pointer> {
  const previous = await readPointer(layout, settlementDate);
  const at = new Date().toISOString();
  const event: HistoryEvent = {
    at,
    event: reason,
    version: marker.version,
    previous: previous?.version ?? null,
  };
  const pointer: Pointer = {
    version: marker.version,
    content_checksum: marker.content_checksum,
    updated_at: at,
    reason,
    history: [...(previous?.history ?? []), event],
  };
  await writeFileAtomic(layout.pointer(settlementDate), `${JSON.stringify(pointer, null, 2)}\n`);
  return pointer;
}

/** Rewrites `_history.jsonl` (one event per line) from the pointer's history, atomically. */
export async function writeHistoryCopy(
  layout: WarehouseLayout,
  settlementDate: string,
  pointer: Pointer,
): Promise<void> {
  await writeFileAtomic(
    layout.history(settlementDate),
    pointer.history.map((e) => `${JSON.stringify(e)}\n`).join(''),
  );
}

/** Pointer moves of a date, oldest first. */
export async function readHistory(
  layout: WarehouseLayout,
  settlementDate: string,
): Promise<HistoryEvent[]> {
  return (await readPointer(layout, settlementDate))?.history ?? [];
}

/**
 * `_history.jsonl` as written by versions before the history moved into CURRENT. A line that
 * does not parse (a torn tail of a crashed append) is skipped; it never swallows the next event.
 */
async function readHistoryCopy(
  layout: WarehouseLayout,
  settlementDate: string,
): Promise<HistoryEvent[]> {
  let text: string;
  try {
    text = await readFile(layout.history(settlementDate), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    try {
      const event = JSON.parse(line) as HistoryEvent;
      return typeof event === 'object' && event !== null && typeof event.version === 'string'
        ? [event]
        : [];
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
