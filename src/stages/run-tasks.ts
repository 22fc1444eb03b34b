import path from 'node:path';
import type { Manifest } from '../contract/manifest.js';
import type {
  CorrectionsTaskResult,
  IdsTaskResult,
  ReduceTaskResult,
  ScanTaskResult,
} from './execute-task.js';
import type { Executor } from './executor.js';
import { silentProgress, type PipelineProgress } from '../util/progress.js';
import type { ShuffleSettings } from './partitioning.js';
import { groupShards } from './plan.js';
import { reducedFiles } from './reduce-task.js';
import type { TaskRecord, TaskTiming } from './task-store.js';
import {
  correctionsSpec,
  idsSpec,
  reduceSpec,
  scanSpec,
  type ScanSpec,
  type TaskSpec,
} from './task-specs.js';

/** Everything the tasks of a run produced, as the assembly and the run report need it. */
export interface TaskOutputs {
  /** The final scan of every shard group (a rescan replaces its first scan). */
  scans: Array<TaskRecord<ScanTaskResult>>;
  ids: Array<TaskRecord<IdsTaskResult>>;
  corrections: TaskRecord<CorrectionsTaskResult> | null;
  reduced: { sums: string[]; customers: string[] };
  timeline: TaskTiming[];
  /** Wall seconds of each stage that had tasks. */
  stageSeconds: Partial<Record<StageName, number>>;
  reused: number;
}

export type StageName = 'scan' | 'rescan' | 'corrections' | 'reduce';

/**
 * Plans and runs a manifest's tasks on an executor, stage by stage: scans (small shards grouped)
 * beside the entry-id check (one task), rescans of groups whose segments turned out to hold one
 * entry_id on two rows, the corrections task, and the reduce partitions. Each stage's specs are
 * derived from the manifest and the previous stages' committed results only.
 */
export async function runTasks(
  executor: Executor,
  manifest: Manifest,
  shuffle: ShuffleSettings,
  progress: PipelineProgress = silentProgress,
): Promise<TaskOutputs> {
  const timeline: TaskTiming[] = [];
  const stageSeconds: TaskOutputs['stageSeconds'] = {};
  let reused = 0;
  const stage = async <T>(name: StageName, specs: TaskSpec[]): Promise<Array<TaskRecord<T>>> => {
    if (specs.length === 0) return [];
    const started = performance.now();
    progress.stageStarted(name, specs.length);
    const records = (await executor.run(specs, (event) =>
      progress.taskEnded(name, {
        done: event.done,
        total: event.total,
        reused: event.record.reused,
        worker: event.record.timing.worker,
      }),
    )) as Array<TaskRecord<T>>;
    stageSeconds[name] = Math.round(performance.now() - started) / 1000;
    progress.stageEnded(name);
    for (const record of records) {
      if (record.reused) reused++;
      else timeline.push(record.timing);
    }
    return records;
  };

  const first = groupShards(manifest).map((shards) => scanSpec(shards, shuffle));
  // The entry-id check reads only the manifest's segments: it runs beside the scans.
  const scanned = await stage<ScanTaskResult | IdsTaskResult>('scan', [...first, idsSpec]);
  const scans = scanned.slice(0, first.length) as Array<TaskRecord<ScanTaskResult>>;
  const ids = scanned.slice(first.length) as Array<TaskRecord<IdsTaskResult>>;
  const conflicts = new Set(ids.flatMap((r) => r.result.conflict_files));
  const rescans = first.flatMap((spec, i) => {
    const hit = (scans[i]?.result.shards ?? []).flatMap((s) =>
      s.complete_files.filter((f) => conflicts.has(f)),
    );
    return hit.length > 0 ? [{ index: i, spec: scanSpec(spec.shards, shuffle, hit.sort()) }] : [];
  });
  const redone = await stage<ScanTaskResult>(
    'rescan',
    rescans.map((r) => r.spec),
  );
  rescans.forEach((r, j) => (scans[r.index] = redone[j] as TaskRecord<ScanTaskResult>));
  const finalScans: ScanSpec[] = first.map(
    (spec, i) => rescans.find((r) => r.index === i)?.spec ?? spec,
  );

  let corrections: TaskRecord<CorrectionsTaskResult> | null = null;
  const inputs = finalScans.map((s) => s.id);
  if (manifest.corrections.length > 0) {
    const completeFiles = scans
      .flatMap((s) => s.result.shards.flatMap((sh) => sh.complete_files))
      .sort();
    const spec = correctionsSpec(shuffle, completeFiles);
    corrections = (await stage<CorrectionsTaskResult>('corrections', [spec]))[0] ?? null;
    inputs.push(spec.id);
  }
  const reduced = await stage<ReduceTaskResult>(
    'reduce',
    Array.from({ length: shuffle.partitions }, (_, p) => reduceSpec(p, shuffle, inputs)),
  );
  return {
    scans,
    ids,
    corrections,
    reduced: {
      sums: reduced.map((r) => path.join(r.dir, reducedFiles.sums)),
      customers: reduced.map((r) => path.join(r.dir, reducedFiles.customers)),
    },
    timeline,
    stageSeconds,
    reused,
  };
}
