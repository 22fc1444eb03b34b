import { readFile, writeFile } from 'node:fs/promises';

/**
 * BENCHMARKS.md is written by more than one benchmark: each owns a section between
 * `<!-- NAME:begin -->` and `<!-- NAME:end -->`, and the pipeline benchmark owns the rest.
 */
const pattern = (name: string): RegExp =>
  new RegExp(`<!-- ${name}:begin -->[\\s\\S]*?<!-- ${name}:end -->\\n?`);

async function current(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return '';
  }
}

/** Replaces (or appends) section `name` of the file, leaving everything else as it is. */
export async function writeSection(file: string, name: string, body: string): Promise<void> {
  const text = await current(file);
  const section = `<!-- ${name}:begin -->\n${body.trimEnd()}\n<!-- ${name}:end -->\n`;
  const next = pattern(name).test(text)
    ? text.replace(pattern(name), () => section)
    : `${text.trimEnd()}\n\n${section}`;
  await writeFile(file, next);
}

/** Writes `report` as the whole file except the named sections, which are kept as they are. */
export async function writeKeepingSections(
  file: string,
  report: string,
  names: readonly string[],
): Promise<void> {
  const text = await current(file);
  const kept = names.map((n) => pattern(n).exec(text)?.[0]).filter((s) => s !== undefined);
  await writeFile(file, [report.trimEnd(), ...kept.map((s) => s.trimEnd())].join('\n\n') + '\n');
}
