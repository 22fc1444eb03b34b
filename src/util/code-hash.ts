import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sqlRoot } from '../sql/load.js';

let cached: string | undefined;

/**
 * Hash of the SQL files and the program's own modules: a committed task is reused only by the
 * same code that produced it.
 */
export function codeHash(): string {
  if (cached !== undefined) return cached;
  const hash = createHash('sha256');
  const programRoot = fileURLToPath(new URL('..', import.meta.url));
  for (const root of [sqlRoot, programRoot]) {
    for (const file of walk(root)) {
      if (!/\.(sql|csv|js|ts)$/.test(file) || file.endsWith('.map')) continue;
      hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  cached = hash.digest('hex');
  return cached;
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
}
