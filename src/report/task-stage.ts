/**
 * The stage a task belongs to, read from its id (ids are made in src/stages/task-specs.ts:
 * `scan-<shards>[-x<digest>]-…`, `entry-ids`, `corrections-…`, `reduce-<n>-…`). The report may
 * not import the stages, and an id is all `_run_report.json` records of a task.
 */
export const TASK_STAGES = [
  'scan',
  'entry_ids',
  'rescan',
  'corrections',
  'reduce',
  'other',
] as const;
export type TaskStage = (typeof TASK_STAGES)[number];

export const STAGE_LABELS: Record<TaskStage, string> = {
  scan: 'scan',
  entry_ids: 'entry-id check',
  rescan: 'rescan',
  corrections: 'corrections',
  reduce: 'reduce',
  other: 'other',
};

export function taskStage(taskId: string): TaskStage {
  if (taskId === 'entry-ids') return 'entry_ids';
  if (taskId.startsWith('corrections-')) return 'corrections';
  if (taskId.startsWith('reduce-')) return 'reduce';
  if (taskId.startsWith('scan-'))
    return /-x[0-9a-f]{10}-p\d+-s\d+$/.test(taskId) ? 'rescan' : 'scan';
  return 'other';
}
