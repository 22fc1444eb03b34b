import { AsyncLocalStorage } from 'node:async_hooks';
import { ExitCode, SettleError, type ExitCodeValue } from '../errors.js';

/** Where a command's output goes: the process streams, or captured ones (in-process tests). */
export interface Io {
  stdout: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  stderr: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr };

const current = new AsyncLocalStorage<Io>();

/** Runs `fn` with every print of this module going to `io`. */
export function withIo<T>(io: Io, fn: () => Promise<T>): Promise<T> {
  return current.run(io, fn);
}

export function currentIo(): Io {
  return current.getStore() ?? processIo;
}

/** Data and results go to stdout; logs and progress to stderr. */
export function printOut(text: string): void {
  currentIo().stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printErr(text: string): void {
  currentIo().stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Bytes or text to stdout as they are (file content, CSV). */
export function writeOut(chunk: string | Uint8Array): void {
  currentIo().stdout.write(chunk);
}

export function printJson(value: unknown): void {
  printOut(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2),
  );
}

/**
 * The one place errors become a message and an exit code. A SettleError is the user's to fix and
 * prints as one line; anything else is an internal error (stack only with --verbose or DEBUG).
 */
export function reportError(
  err: unknown,
  options: { json: boolean; verbose: boolean },
): ExitCodeValue {
  const known = err instanceof SettleError;
  const code = known ? err.exitCode : ExitCode.runtime;
  const message = known ? err.message : describeUnexpected(err);
  if (options.json) printJson({ error: message, code, context: known ? err.context : {} });
  printErr(`settle: ${message}`);
  if (options.verbose && err instanceof Error && err.stack) printErr(err.stack);
  return code;
}

/** File-system failures (no space, no permission, not a directory) are the machine's, not bugs. */
function describeUnexpected(err: unknown): string {
  const firstLine = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof errno === 'string' && /^E[A-Z]+$/.test(errno))
    return `file system error: ${firstLine}`;
  // The engine reports a full disk or a failed write as an IO Error, without an errno.
  if (/^IO Error: .*(No space left on device|Could not write file)/i.test(firstLine))
    return `file system error: ${firstLine}`;
  return `internal error: ${firstLine}`;
}
