import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { withDb, type Db, type EngineSettings } from '../db/duckdb.js';
import { quoteString, quoteStringList } from '../sql/fragment.js';
import { ExitCode, SettleError, invalidInput, runInterrupted } from '../errors.js';
import { loadSql, renderSql } from '../sql/load.js';
import { codeHash } from '../util/code-hash.js';
import { crashPoint } from '../util/crash-points.js';
import { writeFileAtomic } from '../util/files.js';
import {
  assemblyExpressions,
  assemblyMeasureInputs,
  measureTotals,
  publishedCasts,
} from '../contract/render.js';
import type { Manifest } from '../contract/manifest.js';
import { versionFiles, type WarehouseLayout } from '../warehouse/layout.js';
import { readSuccess } from '../warehouse/versions.js';
import { failedErrors, runAssertions, type AssertionResult } from './assertions.js';
import { EmbeddedExecutor, type Executor } from './executor.js';
import { checkInputSchemas } from './input-schema.js';
import { checkInputsUnchanged, type FrozenManifest } from './manifest.js';
import { assemblyOverflow } from './overflow.js';
import { scanFiles, type ShuffleSettings } from './partitioning.js';
import { shuffleFor } from './plan.js';
import {
  checksumLikeExisting,
  publishVersion,
  stageVersion,
  type PublishOutcome,
} from './publish.js';
import type { ChecksumAlgorithm } from '../contract/checksum.js';
import { writeRunReport } from '../report/write.js';
import { runTasks, type TaskOutputs } from './run-tasks.js';
import { silentProgress, type PipelineProgress } from '../util/progress.js';
import { loadReferenceTables, type TaskContext } from './task-context.js';
import { TaskStore } from './task-store.js';
import type { CurrencyTotals, RunReport } from '../contract/run-report.js';

export type { CurrencyTotals, RunReport };

export interface PipelineOptions {
  layout: WarehouseLayout;
  engine: EngineSettings;
  /**
   * An engine already open (the one that froze the manifest), set to `engine` and used instead
   * of a new one; the caller closes it. Saves an engine start and a second load of the accounts.
   */
  db?: Db;
  /** Reduce partitions and salts; what is not given is chosen from the input size (plan.ts). */
  shuffle?: { partitions?: number; salts?: number };
  /** Where tasks run (default: here, embedded). */
  executor?: (ctx: TaskContext, frozen: FrozenManifest, signal?: AbortSignal) => Promise<Executor>;
  progress?: PipelineProgress;
  /** Aborting stops the running tasks (the run fails with RunInterrupted; committed tasks stay). */
  signal?: AbortSignal;
  /**
   * Rebuild only: run every task afresh in this scratch directory and stop after staging and
   * checksumming; nothing is published and no committed task is reused.
   */
  scratchDir?: string;
  /** Checksum the staged version with this algorithm (verify: the one the version records). */
  checksumAlgorithm?: ChecksumAlgorithm;
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
  totals: CurrencyTotals[];
  report: RunReport;
}

/**
 * Runs a frozen manifest end to end: tasks (scan, entry-id check, reduce; see run-tasks.ts) on the
 * executor, then here: assemble → assertions → stage → publish. Works only from the manifest, so
 * a rerun reuses committed tasks and reproduces the checksum.
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
  const progress = options.progress ?? silentProgress;
  const timer = stageTimer(progress);
  const shuffle = shuffleFor(manifest, options.shuffle ?? {});

  // Spill next to the run's task outputs (same file system as the warehouse) unless told otherwise.
  const spillDir = path.join(runDir, 'spill', attempt);
  const engine = { ...options.engine, tempDir: options.engine.tempDir ?? spillDir };
  await mkdir(engine.tempDir, { recursive: true });
  const signal = options.signal;
  const inEngine = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    if (options.db === undefined) return withDb(engine, fn);
    await options.db.configure(engine);
    return fn(options.db);
  };
  return inEngine(async (db) => {
    // Stopping: the running query is interrupted, the next task never starts.
    const interrupt = (): void => db.connection.interrupt();
    signal?.addEventListener('abort', interrupt);
    try {
      return await runStages(db);
    } catch (err) {
      if (!signal?.aborted) throw err;
      await rm(path.join(runDir, 'attempts', attempt), { recursive: true, force: true });
      await rm(spillDir, { recursive: true, force: true });
      throw runInterrupted();
    } finally {
      signal?.removeEventListener('abort', interrupt);
    }
  });

  async function runStages(db: Db): Promise<RunResult> {
    await timer.time('validate_inputs', async () => {
      await checkInputSchemas(db, manifest);
      await loadReferenceTables(db, manifest);
      await loadOpening(db, manifest, options.layout);
    });
    const ctx = { db, manifest, store, memoryLimit: engine.memoryLimit };
    const executor: Executor =
      (await options.executor?.(ctx, frozen, signal)) ?? new EmbeddedExecutor(ctx, signal);
    const tasks = await runTasks(executor, manifest, shuffle, progress).finally(() =>
      executor.close?.(),
    );
    Object.assign(timer.seconds, tasks.stageSeconds);
    await loadTaskTables(db, manifest, tasks);
    await timer.time('assemble', async () => {
      await db.run(
        renderSql('stages/reduce/assemble.sql', {
          sums: quoteStringList(tasks.reduced.sums),
          customers: quoteStringList(tasks.reduced.customers),
          measure_inputs: assemblyMeasureInputs(),
          expressions: assemblyExpressions(),
          casts: publishedCasts(),
        }),
      );
      const overflow = await assemblyOverflow(db);
      if (overflow !== undefined) throw overflow;
    });
    const assertions = await timer.time('assertions', () => runAssertions(db, manifest.policy));
    crashPoint('assertions-done');
    // Everything the result and the report say is computed before the pointer can move.
    const totals = await db.json<CurrencyTotals>(
      renderSql('stages/run/currency_totals.sql', { totals: measureTotals() }),
    );
    const report = buildReport(frozen, attempt, timer.seconds, tasks, shuffle, {
      totals,
      rejectExamples: await rejectExamples(db, rejectFiles(tasks)),
    });

    await checkInputsUnchanged(frozen);
    const stageRequest = {
      version: manifest.version,
      settlementDate: manifest.settlement_date,
      manifestText: frozen.text,
      rejectFiles: rejectFiles(tasks),
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
      const page = await writeRunReport(staged.dir, 'failed');
      const names = failed.map((f) => `${f.name} (${f.violating_rows} violating rows)`).join(', ');
      throw new SettleError(
        `data-quality assertion failed: ${names}; nothing published; the run report is ${page}`,
        ExitCode.assertionFailed,
        { assertion: failed[0]?.name },
      );
    }
    const staged = await timer.time('stage_version', async () =>
      checksumLikeExisting(
        db,
        options.layout,
        await stageVersion(db, {
          ...stageRequest,
          stagingDir: path.join(runDir, 'attempts', attempt, 'publish'),
          checksumAlgorithm: options.checksumAlgorithm,
        }),
      ),
    );
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
    // The last point to stop: from here the publish completes (short, every step atomic).
    signal?.throwIfAborted();
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
    // The page a person reads; derived from the version's files, so a failure is only a warning
    // (`settle report` writes it later).
    const page = await writeRunReport(published.dir, 'published').catch(
      (err: unknown) => new Error(`report.html not written: ${(err as Error).message}`),
    );
    if (page instanceof Error) published.warnings.push(page.message);
    // The version is published: failing to tidy the attempt's scratch space must not fail the run.
    await rm(path.join(runDir, 'attempts', attempt), { recursive: true, force: true }).catch(
      () => undefined,
    );
    await rm(spillDir, { recursive: true, force: true }).catch(() => undefined);
    return finish(published.outcome, published.dir, published.warnings);
  }
}

/**
 * The manifest is written once per run directory (atomically: temp file, fsync, rename) and never
 * modified. The directory is named after the manifest's sha256, so a file there with other content
 * can only be what a failed write left (a full disk, an older build's torn write): it is replaced.
 */
async function persistManifest(runDir: string, frozen: FrozenManifest): Promise<string> {
  await mkdir(runDir, { recursive: true });
  const target = path.join(runDir, 'manifest.json');
  const existing = await readFile(target, 'utf8').catch(() => undefined);
  if (existing !== frozen.text) await writeFileAtomic(target, frozen.text);
  return target;
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

/**
 * The tables the assertions read, from the tasks' results: per-shard flags and row counts, the
 * scan sums, the complete segments, the repeated entry ids and the accepted correction ids.
 */
async function loadTaskTables(db: Db, manifest: Manifest, tasks: TaskOutputs): Promise<void> {
  const shards = [
    ...tasks.scans,
    ...(tasks.corrections === null ? [] : [tasks.corrections]),
  ].flatMap((t) => t.result.shards);
  const flags = shards.flatMap(({ shard }) => [
    ...(shard.missing_segment
      ? [{ shard_id: shard.shard_id, item: `missing_segment:${shard.shard_id}` }]
      : []),
    ...(shard.replica_lag
      ? [{ shard_id: shard.shard_id, item: `replica_lag:${shard.shard_id}` }]
      : []),
  ]);
  await db.run(loadSql('stages/run/shard_flags.sql'), { flags: JSON.stringify(flags) });
  const stats = shards.map((s) => ({
    shard_id: s.shard.shard_id,
    rows_read: s.rows_read,
    accepted: s.accepted,
    rejected: s.rejected,
    excluded: s.excluded,
    duplicates_removed: s.duplicates_removed,
  }));
  await db.run(loadSql('stages/run/scan_stats.sql'), { stats: JSON.stringify(stats) });
  const taskDirs = [...tasks.scans, ...(tasks.corrections === null ? [] : [tasks.corrections])].map(
    (t) => t.dir,
  );
  await db.run(
    renderSql('stages/run/scan_tables.sql', {
      sums: quoteStringList(taskDirs.map((d) => path.join(d, scanFiles.sums))),
    }),
  );
  const complete = shards
    .flatMap((s) => s.complete_files)
    .map((f) => path.join(manifest.snapshot_root, f));
  await db.run(loadSql('stages/run/complete_segment_files.sql'), {
    files: JSON.stringify(complete),
  });
  const occurrences = tasks.ids.flatMap((t) =>
    t.result.occurrences === null ? [] : [path.join(t.dir, t.result.occurrences)],
  );
  await db.run(
    occurrences.length > 0
      ? renderSql('stages/run/entry_id_occurrences.sql', {
          occurrences: quoteStringList(occurrences),
        })
      : loadSql('stages/run/entry_id_occurrences_empty.sql'),
  );
  await db.run(
    tasks.corrections === null
      ? loadSql('stages/run/correction_entry_ids_empty.sql')
      : renderSql('stages/run/correction_entry_ids.sql', {
          ids: quoteString(path.join(tasks.corrections.dir, scanFiles.acceptedIds)),
        }),
  );
}

function rejectFiles(tasks: TaskOutputs): string[] {
  return [...tasks.scans, ...(tasks.corrections === null ? [] : [tasks.corrections])]
    .filter((t) => t.result.rejects)
    .map((t) => path.join(t.dir, scanFiles.rejects));
}

/** A few rejected rows per reason, as JSON-safe objects (none when nothing was rejected). */
async function rejectExamples(db: Db, files: string[]): Promise<Array<Record<string, unknown>>> {
  if (files.length === 0) return [];
  return db.json(renderSql('stages/run/reject_examples.sql', { rejects: quoteStringList(files) }));
}

function buildReport(
  frozen: FrozenManifest,
  attempt: string,
  seconds: Record<string, number>,
  tasks: TaskOutputs,
  shuffle: ShuffleSettings,
  published: { totals: CurrencyTotals[]; rejectExamples: Array<Record<string, unknown>> },
): RunReport {
  const rows = new Array<number>(shuffle.partitions).fill(0);
  const producers = [...tasks.scans, ...(tasks.corrections === null ? [] : [tasks.corrections])];
  for (const task of producers)
    for (const [part, n] of task.result.partition_rows) rows[part] = (rows[part] ?? 0) + n;
  const mean = rows.reduce((a, b) => a + b, 0) / Math.max(1, rows.length);
  const { manifest } = frozen;
  return {
    manifest_sha256: frozen.sha256,
    version: manifest.version,
    settlement_date: manifest.settlement_date,
    lineage: {
      input_epoch: manifest.input_epoch,
      opening_version: manifest.opening_version?.version ?? null,
      supersedes: manifest.supersedes,
    },
    policy: manifest.policy,
    attempt,
    stage_seconds: seconds,
    task_seconds: Object.fromEntries(tasks.timeline.map((t) => [t.task, t.seconds])),
    timeline: tasks.timeline,
    shards: producers.flatMap((task) =>
      task.result.shards.map((s) => ({
        shard_id: s.shard.shard_id,
        reused: task.reused,
        rows_read: s.rows_read,
        accepted: s.accepted,
        rejected: s.rejected,
        excluded: s.excluded,
        duplicates_removed: s.duplicates_removed,
        reject_reasons: s.reject_reasons,
        incomplete: s.shard.problems,
      })),
    ),
    reduce: {
      partitions: shuffle.partitions,
      salts: shuffle.salts,
      partition_rows: rows,
      max_over_mean: mean === 0 ? 1 : Math.max(...rows) / mean,
    },
    entry_ids: { candidates: tasks.ids.reduce((a, t) => a + t.result.candidates, 0) },
    totals: published.totals,
    rejects: {
      by_reason: countReasons(tasks),
      examples: published.rejectExamples,
    },
    unlisted_files: manifest.unlisted_files,
    tasks_reused: tasks.reused,
  };
}

function countReasons(tasks: TaskOutputs): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const task of [...tasks.scans, ...(tasks.corrections === null ? [] : [tasks.corrections])])
    for (const shard of task.result.shards)
      for (const [reason, n] of Object.entries(shard.reject_reasons))
        counts[reason] = (counts[reason] ?? 0) + n;
  return counts;
}

function stageTimer(progress: PipelineProgress): {
  seconds: Record<string, number>;
  time<T>(name: string, fn: () => Promise<T>): Promise<T>;
} {
  const seconds: Record<string, number> = {};
  return {
    seconds,
    async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
      const start = performance.now();
      progress.stageStarted(name);
      try {
        return await fn();
      } finally {
        seconds[name] = Math.round(performance.now() - start) / 1000;
        progress.stageEnded(name);
      }
    },
  };
}
