/**
 * What a run tells whoever watches it: a stage begins (with how many tasks, when it has tasks), a
 * task of it ends (run here or by a worker, or found committed), the stage ends. Stages never
 * print; the command renders these (src/commands/progress.ts).
 */
export interface PipelineProgress {
  /** `unit` names what `tasks` counts: tasks (the default), or percent of a single statement. */
  stageStarted(stage: string, tasks?: number, unit?: 'tasks' | 'percent'): void;
  taskEnded(stage: string, event: ProgressEvent): void;
  stageEnded(stage: string): void;
}

/** One unit of a stage ended: `done` of `total`; `reused` when found committed; where it ran. */
export interface ProgressEvent {
  done: number;
  total: number;
  reused: boolean;
  worker?: string;
}

export const silentProgress: PipelineProgress = {
  stageStarted: () => undefined,
  taskEnded: () => undefined,
  stageEnded: () => undefined,
};
