import path from 'node:path';
import { runCorrectionsTask } from './corrections-task.js';
import { runIdsTask, type IdsTaskResult } from './ids-task.js';
import { readingInputs } from './input-files.js';
import { runReduceTask } from './reduce-task.js';
import { runScanTask, type ScanTaskResult } from './scan-task.js';
import type { TaskContext } from './task-context.js';
import type { TaskRecord } from './task-store.js';
import type { TaskSpec } from './task-specs.js';

export type CorrectionsTaskResult = Awaited<ReturnType<typeof runCorrectionsTask>>;
export type ReduceTaskResult = Awaited<ReturnType<typeof runReduceTask>>;
export type { IdsTaskResult, ScanTaskResult };

/**
 * Executes one task in `dir` (its attempt directory) and returns the result to record. The same
 * function serves the embedded executor and the queue's workers: everything a task reads is its
 * spec, the manifest and the committed outputs of the tasks its spec names.
 */
export async function executeTask(ctx: TaskContext, spec: TaskSpec, dir: string): Promise<unknown> {
  const { db, manifest } = ctx;
  const inputs = manifest.files
    .filter((f) => f.role === 'segment' || f.role === 'correction')
    .map((f) => path.join(manifest.snapshot_root, f.path));
  switch (spec.kind) {
    case 'scan':
      return readingInputs(db, inputs, () => runScanTask(db, manifest, spec, dir));
    case 'ids':
      return readingInputs(db, inputs, () => runIdsTask(db, manifest, dir, ctx.memoryLimit));
    case 'corrections':
      return readingInputs(db, inputs, () => runCorrectionsTask(db, manifest, spec, dir));
    case 'reduce': {
      const dirs = (await committedInputs(ctx, spec.inputs)).map((i) => i.dir);
      return runReduceTask(db, spec.part, dirs, dir);
    }
  }
}

/** The committed outputs a task reads; a missing one is a bug in the plan, not user input. */
async function committedInputs<T>(ctx: TaskContext, ids: string[]): Promise<Array<TaskRecord<T>>> {
  const records: Array<TaskRecord<T>> = [];
  for (const id of ids) {
    const record = await ctx.store.committed<T>(id);
    if (record === undefined) throw new Error(`task input ${id} is not committed`);
    records.push(record);
  }
  return records;
}
