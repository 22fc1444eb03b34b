import cliProgress from 'cli-progress';
import type { PipelineProgress, ProgressEvent } from '../util/progress.js';
import { currentIo } from './output.js';

/**
 * Live progress of a long command on stderr (never stdout): on a terminal one line updated in
 * place (cli-progress) with the stage, tasks done / total, tasks reused, elapsed time and an
 * estimate of the time left; elsewhere one plain line per finished stage; nothing when quiet.
 */
export function progressOnStderr(quiet: boolean): PipelineProgress & { stop(): void } {
  const stderr = currentIo().stderr;
  if (quiet) return { stageStarted() {}, taskEnded() {}, stageEnded() {}, stop() {} };
  return stderr.isTTY === true ? new TerminalProgress(stderr) : new LineProgress(stderr);
}

interface Stream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

interface StageState {
  started: number;
  tasks: number;
  unit: 'tasks' | 'percent';
  done: number;
  reused: number;
}

abstract class StageTracker implements PipelineProgress {
  protected readonly runStarted = performance.now();
  protected current: { name: string; state: StageState } | undefined;

  stageStarted(stage: string, tasks = 0, unit: 'tasks' | 'percent' = 'tasks'): void {
    this.current = {
      name: stage,
      state: { started: performance.now(), tasks, unit, done: 0, reused: 0 },
    };
    this.began(stage, tasks, unit);
  }

  taskEnded(stage: string, event: ProgressEvent): void {
    const state = this.current?.state;
    if (state === undefined) return;
    state.done = event.done;
    if (event.reused) state.reused++;
    this.advanced(stage, state, event);
  }

  stageEnded(stage: string): void {
    const state = this.current?.state;
    if (state !== undefined) this.ended(stage, state);
    this.current = undefined;
  }

  protected elapsed(): string {
    return `${((performance.now() - this.runStarted) / 1000).toFixed(1)} s`;
  }

  abstract stop(): void;
  protected abstract began(stage: string, tasks: number, unit: 'tasks' | 'percent'): void;
  protected abstract advanced(stage: string, state: StageState, event: ProgressEvent): void;
  protected abstract ended(stage: string, state: StageState): void;
}

/** Not a terminal (CI logs, pipes): one line per finished stage. */
class LineProgress extends StageTracker {
  constructor(private readonly stream: Stream) {
    super();
  }

  protected began(): void {}
  protected advanced(): void {}

  protected ended(stage: string, state: StageState): void {
    const seconds = ((performance.now() - state.started) / 1000).toFixed(2);
    const tasks =
      state.tasks > 0 && state.unit === 'tasks'
        ? `, ${state.tasks} tasks (${state.reused} reused)`
        : '';
    this.stream.write(
      `settle: ${stage} done in ${seconds} s${tasks} [${this.elapsed()} elapsed]\n`,
    );
  }

  stop(): void {}
}

/** A terminal: one line, redrawn in place. */
class TerminalProgress extends StageTracker {
  private readonly bar: cliProgress.SingleBar;
  private active = false;

  constructor(stream: Stream) {
    super();
    this.bar = new cliProgress.SingleBar(
      {
        stream: stream as NodeJS.WritableStream,
        format: (
          options,
          params,
          payload: {
            stage: string;
            tasks: number;
            unit: 'tasks' | 'percent';
            reused: number;
            worker: string;
            elapsed: string;
          },
        ) => {
          const bar = cliProgress.Format.BarFormat(params.progress, options);
          const counts =
            payload.tasks === 0
              ? ''
              : payload.unit === 'percent'
                ? ` [${bar}] ${params.value}%`
                : ` [${bar}] ${params.value}/${params.total} tasks, ${payload.reused} reused${payload.worker}`;
          const eta =
            payload.tasks > 0 && params.value > 0 && params.value < params.total
              ? ` | about ${cliProgress.Format.TimeFormat(params.eta, options, 1)} left`
              : '';
          return `settle ${payload.stage}${counts} | ${payload.elapsed} elapsed${eta}`;
        },
        barsize: 20,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 8,
        noTTYOutput: false,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  protected began(stage: string, tasks: number, unit: 'tasks' | 'percent'): void {
    const payload = { stage, tasks, unit, reused: 0, worker: '', elapsed: this.elapsed() };
    if (!this.active) this.bar.start(Math.max(tasks, 1), 0, payload);
    else {
      this.bar.setTotal(Math.max(tasks, 1));
      this.bar.update(0, payload);
    }
    this.active = true;
  }

  protected advanced(stage: string, state: StageState, event: ProgressEvent): void {
    this.bar.update(state.done, {
      stage,
      tasks: state.tasks,
      unit: state.unit,
      reused: state.reused,
      worker: event.worker === undefined ? '' : ` (last on ${event.worker})`,
      elapsed: this.elapsed(),
    });
  }

  protected ended(stage: string, state: StageState): void {
    this.bar.update(Math.max(state.tasks, 1), { stage, elapsed: this.elapsed() });
  }

  stop(): void {
    if (this.active) this.bar.stop();
    this.active = false;
  }
}

/**
 * Runs `work` with SIGINT and SIGTERM turned into an abort of its signal: the command stops its
 * running work, cleans up and exits 130 through the usual error path.
 */
export async function withInterrupts<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (): void => controller.abort(new Error('interrupted'));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * Reports the engine's own progress of the queries `work` runs on `db` (DuckDB's percentage,
 * polled) as one stage of 100 steps: for long single statements such as an export's COPY.
 */
export async function withQueryProgress<T>(
  db: { connection: { progress: { percentage: number } } },
  progress: PipelineProgress,
  stage: string,
  work: () => Promise<T>,
): Promise<T> {
  progress.stageStarted(stage, 100, 'percent');
  const timer = setInterval(() => {
    const percentage = db.connection.progress.percentage;
    if (percentage >= 0)
      progress.taskEnded(stage, { done: Math.floor(percentage), total: 100, reused: false });
  }, 250);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    progress.stageEnded(stage);
  }
}
