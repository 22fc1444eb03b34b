import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { quoteStringList } from '../sql/fragment.js';
import { loadSql, renderSql } from '../sql/load.js';
import type { Manifest } from '../contract/manifest.js';
import { partitionLayout, type ShuffleSettings } from './partitioning.js';
import { classifyAndWrite, type ShardOutput } from './shard-scan.js';
import type { TaskStore } from './tasks.js';

export const CORRECTIONS_SOURCE = 'corrections';

/** The entry ids of accepted correction rows, for the unique_entry_id assertion. */
export const CORRECTION_IDS_FILE = 'accepted_entry_ids.parquet';

/**
 * Late correction files are extra entries with lineage: validated with the ledger's rules, plus
 * duplicate_entry_id for an entry the ledger's complete segments already have or an earlier
 * correction file (in the order given) carries. They have no segments, so nothing is excluded
 * and no exact-duplicate removal applies. Needs the complete_entry_ids view.
 */
export async function runCorrectionsScan(
  db: Db,
  manifest: Manifest,
  store: TaskStore,
  shuffle: ShuffleSettings,
): Promise<ShardOutput[]> {
  if (manifest.corrections.length === 0) return [];
  const files = manifest.corrections.map((rel) => ({
    file: path.join(manifest.snapshot_root, rel),
    relPath: rel,
  }));
  const task = await store.run(
    `scan-${CORRECTIONS_SOURCE}-${partitionLayout(shuffle)}`,
    async (dir) => {
      await db.run(
        renderSql('stages/scan/known_entry_ids.sql', {
          corrections: quoteStringList(files.map((f) => f.file)),
        }),
      );
      const counts = await classifyAndWrite(db, files, { dir, shuffle }, (sources) =>
        db.run(renderSql('stages/scan/corrections_source.sql', { files: sources })),
      );
      await db.copyToParquet(
        loadSql('stages/scan/accepted_entry_ids.sql'),
        path.join(dir, CORRECTION_IDS_FILE),
      );
      const rowsRead = counts.accepted + counts.rejected;
      return {
        shard: {
          shard_id: CORRECTIONS_SOURCE,
          missing_segment: false,
          replica_lag: false,
          problems: [],
        },
        segments: [],
        rows_read: rowsRead,
        excluded: 0,
        duplicates_removed: 0,
        ...counts,
        complete_files: [],
      };
    },
  );
  return [task];
}
