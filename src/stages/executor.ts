import { executeTask } from './execute-task.js';
import type { TaskContext } from './task-context.js';
import type { TaskRecord } from './task-store.js';
import type { TaskSpec } from './task-specs.js';

/** Reported after each task of a batch ends (or is found committed). */
export interface TaskEvent {
  spec: TaskSpec;
  record: TaskRecord<unknown>;
  done: number;
  total: number;
}

/**
 * Runs a batch of independent tasks and returns their committed records in spec order. The
 * embedded executor runs them here, one after the other (DuckDB spreads each over the cores);
 * the queue executor (src/queue) hands them to workers. Either way a task is committed once.
 */
export interface Executor {
  run(specs: TaskSpec[], onTask?: (event: TaskEvent) => void): Promise<Array<TaskRecord<unknown>>>;
  /** Releases what the executor holds (connections); the pipeline calls it when the run ends. */
  close?(): Promise<void>;
}

export class EmbeddedExecutor implements Executor {
  constructor(
    private readonly ctx: TaskContext,
    private readonly signal?: AbortSignal,
  ) {}

  async run(
    specs: TaskSpec[],
    onTask?: (event: TaskEvent) => void,
  ): Promise<Array<TaskRecord<unknown>>> {
    const records: Array<TaskRecord<unknown>> = [];
    for (const spec of specs) {
      this.signal?.throwIfAborted();
      const record = await this.ctx.store.run(spec.id, (dir) => executeTask(this.ctx, spec, dir));
      records.push(record);
      onTask?.({ spec, record, done: records.length, total: specs.length });
    }
    return records;
  }
}
