import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crashPoint } from '../util/crash-points.js';
import { isDirectory } from '../util/files.js';
import { jsonBigint } from '../util/json.js';

/**
 * Where a run keeps its task outputs. Every task writes under its own attempt directory and is
 * committed by one directory rename to `done/<task>`, keyed by the manifest sha256 (the run
 * directory) and the code hash (part of the committed name). A rerun of the same manifest with
 * the same code reuses committed tasks; a crash leaves at most an abandoned attempt directory.
 */
export class TaskStore {
  /** Seconds each task ran in this attempt (reused tasks are absent). */
  readonly seconds: Record<string, number> = {};

  constructor(
    readonly runDir: string,
    readonly attemptId: string,
    readonly codeHash: string,
  ) {}

  private doneDir(taskId: string): string {
    return path.join(this.runDir, 'done', `${taskId}@${this.codeHash.slice(0, 16)}`);
  }

  /** Runs `work` in a fresh attempt directory unless the task is already committed. */
  async run<T>(
    taskId: string,
    work: (dir: string) => Promise<T>,
  ): Promise<{ dir: string; result: T; reused: boolean }> {
    const done = this.doneDir(taskId);
    const reused = await this.readResult<T>(done);
    if (reused !== undefined) return { dir: done, result: reused, reused: true };

    const attemptDir = path.join(this.runDir, 'attempts', this.attemptId, taskId);
    await rm(attemptDir, { recursive: true, force: true });
    await mkdir(attemptDir, { recursive: true });
    const started = performance.now();
    const result = await work(attemptDir);
    this.seconds[taskId] = Math.round(performance.now() - started) / 1000;
    crashPoint(`task-written:${taskId}`);
    await writeFile(
      path.join(attemptDir, '_task.json'),
      JSON.stringify({ task: taskId, code_hash: this.codeHash, result }, jsonBigint),
    );
    await mkdir(path.dirname(done), { recursive: true });
    try {
      await rename(attemptDir, done);
    } catch (err) {
      // Another process committed the same task first; its output is equivalent by construction.
      if (!(await isDirectory(done))) throw err;
      await rm(attemptDir, { recursive: true, force: true });
    }
    crashPoint(`task-committed:${taskId}`);
    return { dir: done, result, reused: false };
  }

  private async readResult<T>(done: string): Promise<T | undefined> {
    try {
      const record = JSON.parse(await readFile(path.join(done, '_task.json'), 'utf8')) as {
        code_hash: string;
        result: T;
      };
      return record.code_hash === this.codeHash ? record.result : undefined;
    } catch {
      return undefined;
    }
  }
}
