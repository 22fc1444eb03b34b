import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import type { Manifest } from '../contract/manifest.js';
import { quoteString, quoteStringList } from '../sql/fragment.js';
import { loadSql, renderSql } from '../sql/load.js';
import { scanFiles } from './partitioning.js';
import type { ScanTaskResult } from './scan-task.js';

export interface IdsTaskResult {
  /** Hashes of this partition that occur more than once. */
  candidates: number;
  /** Parquet (file, seq, entry_id) of every occurrence of a repeated id, or null when none. */
  occurrences: string | null;
  /** Segments (relative paths) in which two different rows share an entry_id. */
  conflict_files: string[];
}

/** A scan task's committed output, as an ids task reads it. */
export interface ScanInput {
  dir: string;
  result: ScanTaskResult;
}

const OCCURRENCES = 'entry_id_occurrences.parquet';

/**
 * The entry-id uniqueness check of one hash partition: the hashes every scan task streamed into
 * this partition are grouped (a table of 1/P of the run's ids, not all of them); hashes that
 * repeat are resolved exactly on the ids themselves, reading only the segments that hold them.
 * Two different rows of one segment sharing an id make it incomplete (a rescan); the same id in
 * two complete segments is left to the unique_entry_id assertion.
 */
export async function runIdsTask(
  db: Db,
  manifest: Manifest,
  part: number,
  scans: ScanInput[],
  dir: string,
): Promise<IdsTaskResult> {
  const streams = await streamFiles(scans, part);
  const none: IdsTaskResult = { candidates: 0, occurrences: null, conflict_files: [] };
  if (streams.length === 0) return none;
  const splice = { streams: quoteStringList(streams.map((s) => s.file)) };
  await db.run(renderSql('stages/scan/ids_candidates.sql', splice));
  const { n } = await db.one<{ n: bigint }>('SELECT count(*) AS n FROM entry_id_candidates');
  if (n === 0n) return none;
  const holders = await db.all<{ stream: string; file_no: number }>(
    renderSql('stages/scan/ids_candidate_files.sql', splice),
  );
  const segments = [
    ...new Set(
      holders.map((h) => {
        const scan = streams.find((s) => s.file === h.stream)?.scan;
        const rel = scan?.result.stream_files[h.file_no - 1];
        if (rel === undefined)
          throw new Error(`entry-id stream ${h.stream} names no file ${h.file_no}`);
        return path.join(manifest.snapshot_root, rel);
      }),
    ),
  ].sort();
  const occurrences = path.join(dir, OCCURRENCES);
  await db.copyToParquet(
    renderSql('stages/scan/entry_id_occurrences.sql', { files: quoteStringList(segments) }),
    occurrences,
  );
  const conflicts = await db.all<{ file: string }>(
    renderSql('stages/scan/entry_id_conflict_files.sql', { occurrences: quoteString(occurrences) }),
  );
  await db.run(loadSql('stages/scan/drop_candidates.sql'));
  return {
    candidates: Number(n),
    occurrences: OCCURRENCES,
    conflict_files: conflicts.map((c) =>
      path.relative(manifest.snapshot_root, c.file).split(path.sep).join('/'),
    ),
  };
}

/** The stream files of partition `part` that the scan tasks wrote (a partition may be empty). */
async function streamFiles(
  scans: ScanInput[],
  part: number,
): Promise<Array<{ file: string; scan: ScanInput }>> {
  const found: Array<{ file: string; scan: ScanInput }> = [];
  for (const scan of scans) {
    if (scan.result.id_parts === 0) continue;
    const partDir = path.join(scan.dir, scanFiles.ids, `part=${part}`);
    const names = await readdir(partDir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.parquet')).sort())
      found.push({ file: path.join(partDir, name), scan });
  }
  return found;
}
