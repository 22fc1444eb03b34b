import { constants, createReadStream } from 'node:fs';
import { access, mkdtemp, open, rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { currentIo } from './output.js';
import { invalidInput } from '../errors.js';
import { fsyncDir } from '../util/files.js';

/** Where a command writes its file: a path (replaced atomically) or standard output (`-`). */
export type OutTarget = { kind: 'file'; file: string } | { kind: 'stdout' };

/**
 * Checks `--out` before any work: `-` is standard output; otherwise a path whose directory exists
 * and is writable, and which is not a directory or any other non-regular file (a rename over
 * /dev/null would replace the device). An existing regular file is replaced.
 */
export async function checkOut(out: string, flag = '--out'): Promise<OutTarget> {
  const field = flag.slice(2);
  if (out === '-') return { kind: 'stdout' };
  if (out.trim() === '')
    throw invalidInput(`${flag}: empty path; name a file or - for standard output`, { field });
  const file = path.resolve(out);
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory() || out.endsWith('/'))
    throw invalidInput(`${flag} ${out} is a directory; name a file in it`, { field });
  if (existing !== undefined && !existing.isFile())
    throw invalidInput(`${flag} ${out} exists and is not a regular file`, { field });
  const dir = path.dirname(file);
  const parent = await stat(dir).catch(() => undefined);
  if (parent === undefined)
    throw invalidInput(`${flag} ${out}: directory ${dir} does not exist`, { field });
  if (!parent.isDirectory())
    throw invalidInput(`${flag} ${out}: ${dir} is not a directory`, { field });
  await access(dir, constants.W_OK).catch(() => {
    throw invalidInput(`${flag} ${out}: directory ${dir} is not writable`, { field });
  });
  return { kind: 'file', file };
}

/**
 * Runs `write(temp)` and delivers the temp file: to a file atomically (fsync, rename over the
 * target, fsync the directory: readers see the old file or the whole new one), or to standard
 * output. The temp file is removed whatever happens.
 */
export async function deliver(
  target: OutTarget,
  write: (temp: string) => Promise<void>,
): Promise<void> {
  if (target.kind === 'stdout') {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'settle-out-'));
    try {
      const temp = path.join(dir, 'out');
      await write(temp);
      await copyToStdout(temp);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return;
  }
  const { file } = target;
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await write(temp);
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    await fsyncDir(path.dirname(file));
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Copies a file to standard output (the command's, see output.ts), honouring back-pressure on a
 * real stream; a closed pipe (EPIPE) is an error.
 */
async function copyToStdout(file: string): Promise<void> {
  const out = currentIo().stdout;
  const stream = out === process.stdout ? process.stdout : undefined;
  let failed: Error | undefined;
  const onError = (err: Error): void => {
    failed = err;
  };
  stream?.on('error', onError);
  try {
    for await (const chunk of createReadStream(file)) {
      if (failed !== undefined) break;
      if (out.write(chunk as Buffer) === false && stream !== undefined) await once(stream, 'drain');
    }
  } finally {
    stream?.off('error', onError);
  }
  if (failed !== undefined) throw failed;
}
