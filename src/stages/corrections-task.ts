import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import type { Manifest } from '../contract/manifest.js';
import { quoteStringList } from '../sql/fragment.js';
import { loadSql, renderSql } from '../sql/load.js';
import { classifyAndWrite } from './classify.js';
import { scanFiles } from './partitioning.js';
import type { ShardScanResult } from './scan-task.js';
import type { CorrectionsSpec } from './task-specs.js';

export const CORRECTIONS_SOURCE = 'corrections';

/**
 * Late correction files are extra entries with lineage: validated with the ledger's rules, plus
 * duplicate_entry_id for an entry the ledger's complete segments already have or an earlier
 * correction file (in the order given) carries. They have no segments, so nothing is excluded
 * and no exact-duplicate removal applies. Writes the same outputs as a scan task, plus the
 * accepted entry ids for unique_entry_id.
 */
export async function runCorrectionsTask(
  db: Db,
  manifest: Manifest,
  spec: CorrectionsSpec,
  dir: string,
): Promise<{
  shards: ShardScanResult[];
  rejects: boolean;
  customer_tuples: number;
  partition_rows: Array<[number, number]>;
}> {
  const abs = (rel: string): string => path.join(manifest.snapshot_root, rel);
  const files = manifest.corrections.map(abs);
  await db.run(
    spec.completeFiles.length > 0
      ? renderSql('stages/run/complete_entry_ids.sql', {
          files: quoteStringList(spec.completeFiles.map(abs)),
        })
      : loadSql('stages/run/complete_entry_ids_empty.sql'),
  );
  await db.run(
    renderSql('stages/scan/known_entry_ids.sql', { corrections: quoteStringList(files) }),
  );
  const counts = await classifyAndWrite(
    db,
    {
      files,
      relative: manifest.corrections,
      sourceOfFile: files.map(() => 0),
      sourceCount: 1,
    },
    { dir, shuffle: spec.shuffle },
    async (sources) => {
      await db.run(renderSql('stages/scan/corrections_source.sql', { files: sources }));
    },
  );
  await db.copyToParquet(
    loadSql('stages/scan/accepted_entry_ids.sql'),
    path.join(dir, scanFiles.acceptedIds),
  );
  const own = counts.sources[0] ?? { accepted: 0, rejected: 0, reject_reasons: {} };
  return {
    shards: [
      {
        shard: {
          shard_id: CORRECTIONS_SOURCE,
          missing_segment: false,
          replica_lag: false,
          problems: [],
        },
        segments: [],
        rows_read: own.accepted + own.rejected,
        excluded: 0,
        duplicates_removed: 0,
        ...own,
        complete_files: [],
      },
    ],
    rejects: counts.rejects,
    customer_tuples: counts.customer_tuples,
    partition_rows: counts.partition_rows,
  };
}
