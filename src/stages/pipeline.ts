import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { withDb, type Db, type EngineSettings } from '../db/duckdb.js';
import { quoteString, quoteStringList } from '../sql/fragment.js';
import { ExitCode, SettleError, invalidInput } from '../errors.js';
import { loadSql, renderSql, sqlRoot } from '../sql/load.js';
import { codeHash } from '../util/code-hash.js';
import { ENTRY_TYPES } from '../contract/entry-types.js';
import { assemblyExpressions, assemblyMeasureInputs, publishedCasts } from '../contract/render.js';
import { versionFiles, type WarehouseLayout } from '../warehouse/layout.js';
import { readSuccess } from '../warehouse/versions.js';
import { failedErrors, runAssertions, type AssertionResult } from './assertions.js';
import { checkInputSchemas } from './input-schema.js';
import { readingInputs } from './input-files.js';
import { loadAccountDirectory } from './accounts.js';
import { checkInputsUnchanged, type FrozenManifest } from './manifest.js';
import type { Manifest } from '../contract/manifest.js';
import { publishVersion, stageVersion, type PublishOutcome } from './publish.js';
import { CORRECTION_IDS_FILE, runCorrectionsScan } from './corrections-scan.js';
import type { EntryIdCheck } from './segment-validation.js';
import { runShardScans, type ShardOutput } from './shard-scan.js';
import { shardFiles, type ShuffleSettings } from './partitioning.js';
import { runReduce, type ReduceResult } from './shuffle-reduce.js';
import { TaskStore } from './tasks.js';
import { crashPoint } from '../util/crash-points.js';
import { isFile } from '../util/files.js';

export interface PipelineOptions {
  layout: WarehouseLayout;
  engine: EngineSettings;
  shuffle: ShuffleSettings;
  /**
   * Rebuild only: run every task afresh in this scratch directory and stop after staging and
   * checksumming; nothing is published and no committed task is reused.
   */
  scratchDir?: string;
}

export interface RunReport {
  manifest_sha256: string;
  version: string;
  settlement_date: string;
  attempt: string;
  stage_seconds: Record<string, number>;
  task_seconds: Record<string, number>;
  shards: Array<{
    shard_id: string;
    reused: boolean;
    rows_read: number;
    accepted: number;
    rejected: number;
    excluded: number;
    duplicates_removed: number;
    customer_tuples: number;
    reject_reasons: Record<string, number>;
    incomplete: string[];
  }>;
  reduce: {
    partitions: number;
    salts: number;
    partition_rows: number[];
    max_over_mean: number;
  };
  unlisted_files: string[];
  tasks_reused: number;
}

export interface RunResult {
  outcome: PublishOutcome | 'rebuilt';
  /** Derived files a publish could not rewrite (the version is published and current). */
  warnings: string[];
  version: string;
  settlementDate: string;
  versionDir: string;
  manifestPath: string;
  contentChecksum: string;
  rowCount: number;
  assertions: AssertionResult[];
  totals: Array<Record<string, unknown>>;
  report: RunReport;
}

/**
 * Runs a frozen manifest end to end: scan (map-side partitioned) → reduce → assemble → assertions → publish.
 * Works only from the manifest, so a rerun reuses committed tasks and reproduces the checksum.
 */
export async function runPipeline(
  frozen: FrozenManifest,
  options: PipelineOptions,
): Promise<RunResult> {
  const { manifest } = frozen;
  const runDir = options.scratchDir ?? options.layout.runDir(frozen.sha256);
  const manifestPath = await persistManifest(runDir, frozen);
  const attempt = `${new Date().toISOString().replace(/[:.]/g, '')}-${process.pid}`;
  const store = new TaskStore(runDir, attempt, codeHash());
  const timer = stageTimer();

  // Spill next to the run's task outputs (same file system as the warehouse) unless told otherwise.
  const spillDir = path.join(runDir, 'spill', attempt);
  const engine = { ...options.engine, tempDir: options.engine.tempDir ?? spillDir };
  await mkdir(engine.tempDir, { recursive: true });
  return withDb(engine, async (db) => {
    await timer.time('validate_inputs', async () => {
      await checkInputSchemas(db, manifest);
      await loadReferenceTables(db, manifest, options.layout);
    });
    const inputs = manifest.files
      .filter((f) => f.role === 'segment' || f.role === 'correction')
      .map((f) => path.join(manifest.snapshot_root, f.path));
    const { shards: ledger, entryIds } = await timer.time('shard_scan', () =>
      readingInputs(db, inputs, () => runShardScans(db, manifest, store, options.shuffle)),
    );
    await createEntryIdTables(db, manifest, ledger, entryIds);
    const corrections = await timer.time('corrections_scan', () =>
      readingInputs(db, inputs, () => runCorrectionsScan(db, manifest, store, options.shuffle)),
    );
    const shards = [...ledger, ...corrections];
    await db.run(
      corrections[0] === undefined
        ? loadSql('stages/run/correction_entry_ids_empty.sql')
        : renderSql('stages/run/correction_entry_ids.sql', {
            ids: quoteString(path.join(corrections[0].dir, CORRECTION_IDS_FILE)),
          }),
    );
    await loadScanTables(db, shards);
    const reduced = await timer.time('shuffle_reduce', () =>
      runReduce(db, shards, store, options.shuffle),
    );
    await timer.time('assemble', () =>
      db.run(
        renderSql('stages/reduce/assemble.sql', {
          sums: quoteStringList(reduced.reduced.sums),
          customers: quoteStringList(reduced.reduced.customers),
          measure_inputs: assemblyMeasureInputs(),
          expressions: assemblyExpressions(),
          casts: publishedCasts(),
        }),
      ),
    );
    const assertions = await timer.time('assertions', () => runAssertions(db, manifest.policy));
    crashPoint('assertions-done');
    const report = buildReport(
      frozen,
      attempt,
      timer.seconds,
      store.seconds,
      shards,
      reduced,
      options.shuffle,
    );

    await checkInputsUnchanged(frozen);
    const stageRequest = {
      version: manifest.version,
      settlementDate: manifest.settlement_date,
      manifestText: frozen.text,
      rejectFiles: rejectFiles(shards),
      assertions,
      report,
    };
    const failed = failedErrors(assertions);
    if (failed.length > 0) {
      // Staged aside (never published) so the failing rows can be inspected.
      const staged = await stageVersion(db, {
        ...stageRequest,
        stagingDir: path.join(runDir, 'attempts', attempt, 'failed'),
      });
      const names = failed.map((f) => `${f.name} (${f.violating_rows} violating rows)`).join(', ');
      throw new SettleError(
        `data-quality assertion failed: ${names}; nothing published; details in ${path.join(staged.dir, versionFiles.dq)}`,
        ExitCode.assertionFailed,
        { assertion: failed[0]?.name },
      );
    }
    const staged = await timer.time('stage_version', () =>
      stageVersion(db, {
        ...stageRequest,
        stagingDir: path.join(runDir, 'attempts', attempt, 'publish'),
      }),
    );
    // Everything the result reports is computed before the pointer can move.
    const totals = await db.json(loadSql('stages/run/currency_totals.sql'));
    const finish = (
      outcome: RunResult['outcome'],
      versionDir: string,
      warnings: string[] = [],
    ): RunResult => ({
      outcome,
      warnings,
      version: manifest.version,
      settlementDate: manifest.settlement_date,
      versionDir,
      manifestPath,
      contentChecksum: staged.contentChecksum,
      rowCount: staged.rowCount,
      assertions,
      totals,
      report,
    });
    if (options.scratchDir !== undefined) return finish('rebuilt', staged.dir);
    const published = await timer.time('publish', () =>
      publishVersion(options.layout, staged, {
        manifest_sha256: frozen.sha256,
        input_epoch: manifest.input_epoch,
        settlement_date: manifest.settlement_date,
        opening_version: manifest.opening_version?.version ?? null,
        supersedes: manifest.supersedes,
      }),
    );
    report.stage_seconds = timer.seconds;
    // The version is published: failing to tidy the attempt's scratch space must not fail the run.
    await rm(path.join(runDir, 'attempts', attempt), { recursive: true, force: true }).catch(
      () => undefined,
    );
    await rm(spillDir, { recursive: true, force: true }).catch(() => undefined);
    return finish(published.outcome, published.dir, published.warnings);
  });
}

/** The manifest is written once per run directory and never modified. */
async function persistManifest(runDir: string, frozen: FrozenManifest): Promise<string> {
  await mkdir(runDir, { recursive: true });
  const target = path.join(runDir, 'manifest.json');
  if (await isFile(target)) {
    if ((await readFile(target, 'utf8')) !== frozen.text)
      throw new Error(`${target} differs from the manifest it is named after`);
    return target;
  }
  try {
    const handle = await open(target, 'wx');
    await handle.writeFile(frozen.text);
    await handle.sync();
    await handle.close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return target;
}

async function loadReferenceTables(
  db: Db,
  manifest: Manifest,
  layout: WarehouseLayout,
): Promise<void> {
  await loadAccountDirectory(db, path.join(manifest.snapshot_root, 'accounts.parquet'));
  await db.run(
    renderSql('stages/scan/load_reference.sql', {
      iso4217: quoteString(path.join(sqlRoot, 'reference', 'iso4217.csv')),
      entry_types: quoteStringList(ENTRY_TYPES),
    }),
  );
  await db.run(loadSql('stages/shuffle/partition_macros.sql'));
  const { policy } = manifest;
  await db.run(loadSql('stages/run/run_params.sql'), {
    settlement_date: manifest.settlement_date,
    min_charges: policy.min_charges,
    chargeback_ratio_bps: policy.chargeback_ratio_bps,
    max_reject_ratio_bps: policy.max_reject_ratio_bps,
    require_complete_books: policy.require_complete_books,
  });
  await loadOpening(db, manifest, layout);
}

async function loadOpening(db: Db, manifest: Manifest, layout: WarehouseLayout): Promise<void> {
  const opening = manifest.opening_version;
  if (opening === null) {
    await db.run(loadSql('stages/run/opening_empty.sql'));
    return;
  }
  const marker = await readSuccess(layout, opening.settlement_date, opening.version);
  if (marker === undefined || marker.content_checksum !== opening.content_checksum) {
    throw invalidInput(
      `opening version ${opening.version} (${opening.settlement_date}) is not published with the checksum the manifest pins`,
      { field: 'opening_version' },
    );
  }
  const data = path.join(
    layout.versionDir(opening.settlement_date, opening.version),
    versionFiles.data,
    '*.parquet',
  );
  await db.run(renderSql('stages/run/opening_load.sql', { data: quoteString(data) }));
}

async function loadScanTables(db: Db, shards: ShardOutput[]): Promise<void> {
  await db.run(
    renderSql('stages/run/scan_tables.sql', {
      sums: quoteStringList(shards.map((s) => path.join(s.dir, shardFiles.sums))),
    }),
  );
  for (const { result } of shards) {
    const id = result.shard.shard_id;
    if (result.shard.missing_segment)
      await db.run('INSERT INTO shard_flags VALUES ($id, $item)', {
        id,
        item: `missing_segment:${id}`,
      });
    if (result.shard.replica_lag)
      await db.run('INSERT INTO shard_flags VALUES ($id, $item)', {
        id,
        item: `replica_lag:${id}`,
      });
    await db.run(
      'INSERT INTO scan_stats VALUES ($id, $read, $accepted, $rejected, $excluded, $dups)',
      {
        id,
        read: result.rows_read,
        accepted: result.accepted,
        rejected: result.rejected,
        excluded: result.excluded,
        dups: result.duplicates_removed,
      },
    );
  }
}

/**
 * Tables for unique_entry_id (complete segments and the occurrences of repeated ids) and, for
 * correction runs, the entry ids of every complete segment.
 */
async function createEntryIdTables(
  db: Db,
  manifest: Manifest,
  shards: ShardOutput[],
  entryIds: EntryIdCheck,
): Promise<void> {
  const completeFiles = shards.flatMap((s) =>
    s.result.complete_files.map((f) => path.join(manifest.snapshot_root, f)),
  );
  await db.run('CREATE OR REPLACE TEMP TABLE complete_segment_files (file VARCHAR)');
  for (const file of completeFiles)
    await db.run('INSERT INTO complete_segment_files VALUES ($file)', { file });
  if (entryIds.occurrences !== null)
    await db.run(
      renderSql('stages/run/entry_id_occurrences.sql', {
        occurrences: quoteString(entryIds.occurrences),
      }),
    );
  else await db.run(loadSql('stages/run/entry_id_occurrences_empty.sql'));
  if (completeFiles.length > 0)
    await db.run(
      renderSql('stages/run/complete_entry_ids.sql', { files: quoteStringList(completeFiles) }),
    );
  else await db.run(loadSql('stages/run/complete_entry_ids_empty.sql'));
}

function rejectFiles(shards: ShardOutput[]): string[] {
  return shards
    .filter((s) => s.result.rejected > 0)
    .map((s) => path.join(s.dir, shardFiles.rejects));
}

function buildReport(
  frozen: FrozenManifest,
  attempt: string,
  seconds: Record<string, number>,
  taskSeconds: Record<string, number>,
  shards: ShardOutput[],
  reduced: ReduceResult,
  shuffle: ShuffleSettings,
): RunReport {
  const rows = reduced.partition_rows;
  const mean = rows.reduce((a, b) => a + b, 0) / Math.max(1, rows.length);
  return {
    manifest_sha256: frozen.sha256,
    version: frozen.manifest.version,
    settlement_date: frozen.manifest.settlement_date,
    attempt,
    stage_seconds: seconds,
    task_seconds: taskSeconds,
    shards: shards.map(({ result, reused }) => ({
      shard_id: result.shard.shard_id,
      reused,
      rows_read: result.rows_read,
      accepted: result.accepted,
      rejected: result.rejected,
      excluded: result.excluded,
      duplicates_removed: result.duplicates_removed,
      customer_tuples: result.customer_tuples,
      reject_reasons: result.reject_reasons,
      incomplete: result.shard.problems,
    })),
    reduce: {
      partitions: shuffle.partitions,
      salts: shuffle.salts,
      partition_rows: rows,
      max_over_mean: mean === 0 ? 1 : Math.max(...rows) / mean,
    },
    unlisted_files: frozen.manifest.unlisted_files,
    tasks_reused: shards.filter((s) => s.reused).length,
  };
}

function stageTimer(): {
  seconds: Record<string, number>;
  time<T>(name: string, fn: () => Promise<T>): Promise<T>;
} {
  const seconds: Record<string, number> = {};
  return {
    seconds,
    async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
      const start = performance.now();
      try {
        return await fn();
      } finally {
        seconds[name] = Math.round(performance.now() - start) / 1000;
      }
    },
  };
}
