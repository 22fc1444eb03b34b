import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The project's sql/ directory, found relative to this module (src/ or dist/). */
export const sqlRoot = fileURLToPath(new URL('../../sql/', import.meta.url));

const cache = new Map<string, string>();

/** Loads `sql/<relativePath>`; a missing file is an error naming its path. */
export function loadSql(relativePath: string): string {
  const cached = cache.get(relativePath);
  if (cached !== undefined) return cached;
  const fullPath = path.join(sqlRoot, relativePath);
  let text: string;
  try {
    text = readFileSync(fullPath, 'utf8');
  } catch {
    throw new Error(`SQL file not found: ${fullPath}`);
  }
  cache.set(relativePath, text);
  return text;
}

/**
 * Loads a SQL file and splices `{{name}}` placeholders. Only for what DuckDB cannot bind
 * (file lists, table names) or should plan as a constant (sqlInteger); every spliced value must
 * already be quoted by the caller.
 */
export function renderSql(relativePath: string, splices: Record<string, string> = {}): string {
  return loadSql(relativePath).replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = splices[name];
    if (value === undefined) throw new Error(`SQL file ${relativePath} needs splice {{${name}}}`);
    return value;
  });
}
