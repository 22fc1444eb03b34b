import { cp } from 'node:fs/promises';
import path from 'node:path';
import { withDb } from '../../src/db/duckdb.js';
import { generateSnapshot } from '../../src/generate/generate.js';
import { runArgs, runCli, settleCli } from './pipeline.js';
import { tempDir } from './snapshot.js';
import { currentChecksum, runAndKill, warehouseProblems } from './crash.js';

export const DATE = '2026-04-05';
const layout = 'p4-s4';

/**
 * One scan task per shard, so that kills land between scan tasks too. Set for the whole test file
 * (setEnv in beforeAll, put back in afterAll): its in-process runs and its children read it.
 */
export const ONE_TASK_PER_SHARD = { SETTLE_SCAN_TASK_BYTES: '1' };

/** Named crash points across every stage boundary and inside the publish writes. */
export const crashPoints = [
  'task-written:scan-00-*',
  'task-committed:scan-00-*',
  'task-committed:scan-03-*',
  'task-written:entry-ids',
  'task-committed:entry-ids',
  `task-written:reduce-0-${layout}-*`,
  `task-committed:reduce-2-${layout}-*`,
  'assertions-done',
  'stage:data-written',
  'publish:before-rename',
  'publish:renamed',
  'atomic-write:_SUCCESS',
  'publish:success-written',
  'atomic-write:CURRENT',
  'publish:pointer-swapped',
];

export interface CrashFixture {
  snapshot: string;
  baselineChecksum: string;
  /** A warehouse where an older version (v1) of the date is already current. */
  seededWarehouse: string;
  args: (warehouse: string) => string[];
}

export async function crashFixture(entries = 8_000): Promise<CrashFixture> {
  const snapshot = path.join(await tempDir(), 'snap');
  await withDb({}, (db) =>
    generateSnapshot(db, {
      out: snapshot,
      shards: 4,
      merchants: 300,
      entries,
      currencies: ['USD', 'EUR'],
      skew: 0.2,
      seed: 11,
      date: DATE,
      segmentRows: 1000,
      faults: ['exact_duplicates'],
    }),
  );
  const older = path.join(await tempDir(), 'older');
  await withDb({}, (db) =>
    generateSnapshot(db, {
      out: older,
      shards: 4,
      merchants: 300,
      entries: entries / 2,
      currencies: ['USD', 'EUR'],
      skew: 0.2,
      seed: 12,
      date: DATE,
      segmentRows: 1000,
      faults: [],
    }),
  );
  const args = (warehouse: string): string[] =>
    runArgs(snapshot, DATE, 'e-2', '--partitions', '4', '--warehouse', warehouse);
  const baseline = await tempDir();
  const run = await runCli(args(baseline));
  if (run.code !== 0) throw new Error(`baseline run failed: ${run.stderr}`);
  const seededWarehouse = await tempDir();
  const seed = await settleCli(older, DATE, 'e-1', seededWarehouse);
  if (seed.code !== 0) throw new Error(`seed run failed: ${seed.stderr}`);
  return {
    snapshot,
    baselineChecksum: (await currentChecksum(baseline, DATE)) as string,
    seededWarehouse,
    args,
  };
}

export interface CrashOutcome {
  killed: boolean;
  problemsAfterKill: string[];
  currentAfterKill: string | undefined;
  rerunCode: number | null;
  rerunChecksum: string | undefined;
  problemsAfterRerun: string[];
}

/** Kills one run (at a crash point or after a delay), checks the warehouse, reruns, checks again. */
export async function crashAndRecover(
  fixture: CrashFixture,
  kill: { point?: string; afterMs?: number },
): Promise<CrashOutcome> {
  const warehouse = await tempDir();
  await cp(fixture.seededWarehouse, warehouse, { recursive: true });
  const killed = await runAndKill(fixture.args(warehouse), {
    env: kill.point ? { SETTLE_CRASH_AT: kill.point } : {},
    killAfterMs: kill.afterMs,
  });
  const problemsAfterKill = await warehouseProblems(warehouse);
  const currentAfterKill = await currentChecksum(warehouse, DATE);
  const rerun = await runCli(fixture.args(warehouse));
  return {
    killed: killed.signal === 'SIGKILL',
    problemsAfterKill,
    currentAfterKill,
    rerunCode: rerun.code,
    rerunChecksum: await currentChecksum(warehouse, DATE),
    problemsAfterRerun: await warehouseProblems(warehouse),
  };
}

/** Wall time (ms) of one uninterrupted run as a child process over the seeded warehouse. */
export async function timedRun(fixture: CrashFixture): Promise<number> {
  const warehouse = await tempDir();
  await cp(fixture.seededWarehouse, warehouse, { recursive: true });
  const started = Date.now();
  const run = await runAndKill(fixture.args(warehouse), {});
  if (run.code !== 0) throw new Error(`timed run failed: ${run.stderr}`);
  return Date.now() - started;
}
