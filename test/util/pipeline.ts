import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withDb } from '../../src/db/duckdb.js';
import { quoteString } from '../../src/sql/fragment.js';
import { buildManifest } from '../../src/stages/manifest.js';
import type { Policy } from '../../src/contract/policy.js';
import { runPipeline, type RunResult } from '../../src/stages/pipeline.js';
import { WarehouseLayout } from '../../src/warehouse/layout.js';
import { DATE, tempDir } from './snapshot.js';
import { cli } from './cli.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface SettleOptions {
  warehouse?: string;
  date?: string;
  epoch?: string;
  partitions?: number;
  threads?: number;
  /** Partitions a key's customers are salted over (default: all partitions). */
  salts?: number;
  policy?: Policy;
}

/** Runs the real pipeline in-process on a snapshot and returns the result with its published rows. */
export async function settle(
  snapshot: string,
  options: SettleOptions = {},
): Promise<
  RunResult & { rows: Array<Record<string, unknown>>; rejects: Array<Record<string, unknown>> }
> {
  const warehouse = options.warehouse ?? (await tempDir('settle-wh-'));
  // One engine freezes, runs and reads back, as `settle run` does.
  const [result, rows, rejects] = await withDb({}, async (db) => {
    const frozen = await buildManifest(db, {
      snapshot,
      settlementDate: options.date ?? DATE,
      inputEpoch: options.epoch ?? 'ledger-snapshot-7811',
      policy: options.policy,
    });
    // Unset: chosen from the input size, as `settle run` does (one partition for a test snapshot).
    const run = await runPipeline(frozen, {
      layout: new WarehouseLayout(warehouse),
      db,
      engine: { threads: options.threads },
      shuffle: { partitions: options.partitions, salts: options.salts },
    });
    return [
      run,
      await db.all(rowsOf(path.join(run.versionDir, 'data'))),
      await db.all(rowsOf(path.join(run.versionDir, 'rejects'))),
    ] as const;
  });
  return { ...result, rows, rejects };
}

/** Rows of a directory of Parquet files, JS values (BIGINT as bigint), in file order. */
export async function readRows(dir: string): Promise<Array<Record<string, unknown>>> {
  return withDb({}, (db) => db.all(rowsOf(dir)));
}

function rowsOf(dir: string): string {
  return `SELECT * FROM read_parquet(${quoteString(path.join(dir, '*.parquet'))}, hive_partitioning = false)`;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in this process (see util/cli.ts): the default for CLI behaviour tests. With an
 * environment to set, it spawns the built CLI instead (the environment is the process's).
 */
export function runCli(args: string[], env?: Record<string, string>): Promise<CliResult> {
  return env === undefined ? cli(args) : spawnCli(args, env);
}

/** Runs the built CLI (dist/) as a child process: for signals, crashes, environment, TTY. */
export function spawnCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'dist', 'bin', 'settle.js'), ...args],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `settle run --snapshot S --date D --epoch E --warehouse W [...extra]`, in process. */
export function settleCli(
  snapshot: string,
  date: string,
  epoch: string,
  warehouse: string,
  ...extra: string[]
): Promise<CliResult> {
  return runCli(runArgs(snapshot, date, epoch, '--warehouse', warehouse, ...extra));
}

/** The argv of `settle run --snapshot S --date D --epoch E ...extra`. */
export function runArgs(
  snapshot: string,
  date: string,
  epoch: string,
  ...extra: string[]
): string[] {
  return ['run', '--snapshot', snapshot, '--date', date, '--epoch', epoch, ...extra];
}

/** `settle export ...args --warehouse W`, in process. */
export function exportCli(warehouse: string, ...args: string[]): Promise<CliResult> {
  return runCli(['export', ...args, '--warehouse', warehouse]);
}
