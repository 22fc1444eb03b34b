import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir } from './files.js';

/** fsyncs every file and directory under `dir` (and `dir` itself): the tree survives a crash. */
export async function fsyncTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await fsyncTree(full);
    else {
      const handle = await open(full, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  }
  await fsyncDir(dir);
}
