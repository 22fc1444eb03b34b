import { main } from '../../src/cli.js';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

/**
 * Runs the real CLI in this process (`main()` with captured streams): the same commander program,
 * handlers and error path as the binary, without a Node start-up per case. Spawn the built CLI
 * only for what needs a process (exit on signals, crashes, TTY, environment).
 */
export async function cli(args: string[]): Promise<InProcessResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (chunks: Buffer[]) => ({
    write: (chunk: string | Uint8Array): boolean => {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
      return true;
    },
  });
  const code = await main(args, { stdout: sink(out), stderr: sink(err) });
  const stdoutBytes = Buffer.concat(out);
  return {
    code,
    stdout: stdoutBytes.toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    stdoutBytes,
  };
}
