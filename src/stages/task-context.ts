import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { ENTRY_TYPES } from '../contract/entry-types.js';
import { iso4217Table } from '../contract/iso4217.js';
import type { Manifest } from '../contract/manifest.js';
import { quoteStringList } from '../sql/fragment.js';
import { loadSql, renderSql } from '../sql/load.js';
import { loadAccountDirectory } from './accounts.js';
import type { TaskStore } from './task-store.js';

/** What a task needs besides its spec: an engine with the run's reference tables, the run's store. */
export interface TaskContext {
  db: Db;
  manifest: Manifest;
  store: TaskStore;
  /** The engine's memory limit as configured (a task may lower it for a while, then restore it). */
  memoryLimit?: string;
}

/**
 * Loads what every task reads besides its inputs: the account directory, ISO 4217 list one, the
 * entry types, the run parameters and the macros (classification, partitioning). Once per engine.
 */
export async function loadReferenceTables(db: Db, manifest: Manifest): Promise<void> {
  await loadAccountDirectory(db, path.join(manifest.snapshot_root, 'accounts.parquet'));
  await db.run(
    renderSql('stages/scan/load_reference.sql', {
      iso4217: iso4217Table(),
      entry_types: quoteStringList(ENTRY_TYPES),
    }),
  );
  const { policy } = manifest;
  await db.run(loadSql('stages/run/run_params.sql'), {
    settlement_date: manifest.settlement_date,
    min_charges: policy.min_charges,
    chargeback_ratio_bps: policy.chargeback_ratio_bps,
    max_reject_ratio_bps: policy.max_reject_ratio_bps,
    require_complete_books: policy.require_complete_books,
  });
  await db.run(loadSql('stages/shuffle/partition_macros.sql'));
  await db.run(loadSql('stages/scan/classify_macro.sql'));
}
