import { vi } from 'vitest';
import { main } from '../../src/cli.js';

export interface MainResult {
  code: number;
  /** Standard output as written: bytes (an export to `--out -` may be binary). */
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs the CLI in-process (`main(argv)`, no child process: ~0.6 s cheaper per call) and captures
 * what it writes to standard output and standard error. Commands run one at a time per test file.
 */
export async function runMain(args: string[]): Promise<MainResult> {
  const out: Buffer[] = [];
  const err: string[] = [];
  const capture =
    (sink: (chunk: Buffer) => void) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      sink(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
      const callback = rest.find((r): r is () => void => typeof r === 'function');
      callback?.();
      return true;
    };
  const stdout = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation(capture((c) => out.push(c)) as typeof process.stdout.write);
  const stderr = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation(capture((c) => err.push(c.toString())) as typeof process.stderr.write);
  try {
    const code = await main(args);
    return { code, stdout: Buffer.concat(out), stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
