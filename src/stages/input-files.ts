import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { SettleError, invalidInput } from '../errors.js';
import { quoteString } from '../sql/fragment.js';
import { renderSql } from '../sql/load.js';

/**
 * Every file a manifest names must be a regular file inside the snapshot root, symlinks followed:
 * a directory, a dangling symlink, a symlink loop or a link out of the root fails the run (exit 2)
 * naming the file, before any work. Returns its size.
 */
export async function checkInputFile(
  root: string,
  relPath: string,
  label: string,
): Promise<number> {
  const full = path.join(root, relPath);
  const refuse = (problem: string): Error =>
    invalidInput(`${full}: ${label} ${problem}`, { file: full });
  const link = await lstat(full).catch(() => undefined);
  if (link === undefined) throw refuse('does not exist');
  let resolved: string;
  try {
    resolved = await realpath(full);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw refuse('is a symlink loop');
    if (code === 'ENOENT') throw refuse('is a dangling symlink');
    throw refuse(`cannot be resolved (${code ?? 'error'})`);
  }
  const inside = path.relative(root, resolved);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside))
    throw refuse(`resolves to ${resolved}, outside the snapshot root ${root}`);
  const info = await stat(resolved);
  if (info.isDirectory()) throw refuse('is a directory, not a file');
  if (!info.isFile()) throw refuse('is not a regular file');
  return info.size;
}

/**
 * Runs work that reads the run's input files. An engine error while reading one (corrupt pages
 * behind an intact footer, a file that is not Parquet after all) is invalid input: exit 2 naming
 * the file, found from the engine's message or, failing that, by reading each file in full.
 */
export async function readingInputs<T>(
  db: Db,
  files: readonly string[],
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof SettleError) throw err;
    const message = (err as Error).message ?? String(err);
    const named = /Failed to read file "([^"]+)"/.exec(message)?.[1];
    const culprit = files.includes(named ?? '') ? named : await firstUnreadable(db, files);
    if (culprit === undefined) throw err;
    throw invalidInput(`${culprit}: listed input file cannot be read (${message.split('\n')[0]})`, {
      file: culprit,
    });
  }
}

async function firstUnreadable(db: Db, files: readonly string[]): Promise<string | undefined> {
  for (const file of files) {
    try {
      await db.run(renderSql('stages/scan/read_whole_file.sql', { file: quoteString(file) }));
    } catch {
      return file;
    }
  }
  return undefined;
}
