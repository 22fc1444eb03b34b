/**
 * The one error type for problems the user can fix (bad input, bad arguments, failed assertion).
 * Anything else reaching the CLI edge is reported as an internal error.
 */
export const ExitCode = {
  ok: 0,
  runtime: 1,
  invalidInput: 2,
  assertionFailed: 3,
  /** Stopped by SIGINT or SIGTERM (128 + 2, as shells report a Ctrl-C). */
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface SettleErrorContext {
  file?: string;
  field?: string;
  stage?: string;
  assertion?: string;
}

export class SettleError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly context: SettleErrorContext;

  constructor(message: string, exitCode: ExitCodeValue, context: SettleErrorContext = {}) {
    super(message);
    this.name = 'SettleError';
    this.exitCode = exitCode;
    this.context = context;
  }
}

/** Bad usage or invalid input: exit code 2. */
export function invalidInput(message: string, context: SettleErrorContext = {}): SettleError {
  return new SettleError(message, ExitCode.invalidInput, context);
}

/** A failure of the run itself (I/O, engine) that is not the user's input: exit code 1. */
export function runtimeFailure(message: string, context: SettleErrorContext = {}): SettleError {
  return new SettleError(message, ExitCode.runtime, context);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A run stopped by a signal: its attempt's scratch space is gone, committed tasks are kept. */
export function runInterrupted(): SettleError {
  return new SettleError(
    'interrupted: nothing published; rerun the same command to resume',
    ExitCode.interrupted,
  );
}
