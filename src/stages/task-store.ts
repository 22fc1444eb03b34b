import { hostname } from 'node:os';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crashPoint } from '../util/crash-points.js';
import { isDirectory } from '../util/files.js';
import { jsonBigint } from '../util/json.js';
import type { TaskTiming } from '../contract/run-report.js';

export type { TaskTiming };

/** A task's committed output: its directory, the result it recorded, and whether it was reused. */
export interface TaskRecord<T> {
  dir: string;
  result: T;
  reused: boolean;
  timing: TaskTiming;
}

/**
 * Where a run keeps its task outputs. Every task writes under its own attempt directory and is
 * committed by one directory rename to `done/<task>@<code hash>`, inside the run directory that
 * the manifest sha256 names. A rerun of the same manifest with the same code reuses committed
 * tasks; a crash leaves at most an abandoned attempt directory. Two processes committing the same
 * task race on the rename: the loser discards its copy, equivalent by construction.
 */
export class TaskStore {
  constructor(
    readonly runDir: string,
    readonly attemptId: string,
    readonly codeHash: string,
    /** Who runs tasks through this store (the run report's timeline lanes). */
    readonly worker = `${hostname()}:${process.pid}`,
  ) {}

  /** Where a committed task's outputs live, whichever process committed it. */
  doneDir(taskId: string): string {
    return path.join(this.runDir, 'done', `${taskId}@${this.codeHash.slice(0, 16)}`);
  }

  /** The committed record of a task, or undefined when it has not been committed (by this code). */
  async committed<T>(taskId: string): Promise<TaskRecord<T> | undefined> {
    const dir = this.doneDir(taskId);
    try {
      const record = JSON.parse(await readFile(path.join(dir, '_task.json'), 'utf8')) as {
        code_hash: string;
        result: T;
        timing: TaskTiming;
      };
      if (record.code_hash !== this.codeHash) return undefined;
      return { dir, result: record.result, reused: true, timing: record.timing };
    } catch {
      return undefined;
    }
  }

  /** Runs `work` in a fresh attempt directory unless the task is already committed. */
  async run<T>(taskId: string, work: (dir: string) => Promise<T>): Promise<TaskRecord<T>> {
    const reused = await this.committed<T>(taskId);
    if (reused !== undefined) return reused;

    const done = this.doneDir(taskId);
    const attemptDir = path.join(this.runDir, 'attempts', this.attemptId, taskId);
    await rm(attemptDir, { recursive: true, force: true });
    await mkdir(attemptDir, { recursive: true });
    const started = new Date();
    const result = await work(attemptDir);
    const ended = new Date();
    const timing: TaskTiming = {
      task: taskId,
      worker: this.worker,
      started_at: started.toISOString(),
      ended_at: ended.toISOString(),
      seconds: (ended.getTime() - started.getTime()) / 1000,
    };
    crashPoint(`task-written:${taskId}`);
    await writeFile(
      path.join(attemptDir, '_task.json'),
      JSON.stringify({ task: taskId, code_hash: this.codeHash, result, timing }, jsonBigint),
    );
    await mkdir(path.dirname(done), { recursive: true });
    try {
      await rename(attemptDir, done);
    } catch (err) {
      // Another process committed the same task first; its output is equivalent by construction.
      if (!(await isDirectory(done))) throw err;
      await rm(attemptDir, { recursive: true, force: true });
      return (await this.committed<T>(taskId)) ?? { dir: done, result, reused: true, timing };
    }
    crashPoint(`task-committed:${taskId}`);
    return { dir: done, result, reused: false, timing };
  }
}
