import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AssertionResult, RunReport } from '../contract/run-report.js';
import { invalidInput } from '../errors.js';
import { writeFileAtomic } from '../util/files.js';
import { versionFiles } from '../warehouse/layout.js';
import type { SuccessMarker } from '../warehouse/versions.js';
import { renderRunReport } from './html.js';
import type { ReportStatus, RunReportInput } from './input.js';

/** Fields of `_run_report.json` the HTML report needs; versions written before they existed lack some. */
const REQUIRED: ReadonlyArray<keyof RunReport> = [
  'version',
  'settlement_date',
  'lineage',
  'policy',
  'stage_seconds',
  'timeline',
  'shards',
  'reduce',
  'totals',
  'rejects',
  'unlisted_files',
];

/** Reads what the report is rendered from out of a version directory (published or failed). */
export async function readRunReportInput(
  versionDir: string,
  status: ReportStatus,
): Promise<RunReportInput> {
  const report = await readJsonFile<RunReport>(path.join(versionDir, versionFiles.report));
  const missing = REQUIRED.filter((field) => report[field] === undefined);
  if (missing.length > 0)
    throw invalidInput(
      `${path.join(versionDir, versionFiles.report)}: lacks ${missing.join(', ')} (written by an older settle); the HTML report cannot be rendered from it`,
      { file: path.join(versionDir, versionFiles.report) },
    );
  const assertions = await readJsonFile<AssertionResult[]>(path.join(versionDir, versionFiles.dq));
  const marker =
    status === 'published'
      ? await readJsonFile<SuccessMarker>(path.join(versionDir, versionFiles.success))
      : undefined;
  return { report, assertions, marker, status };
}

/**
 * Writes `report.html` into a version directory, atomically, and returns its path. Rendering is
 * deterministic, so a file that differs from what this code renders (missing, or rendered by an
 * older settle) is rewritten and an up-to-date one is left alone. The file is outside the content
 * checksum (data/ and rejects/ only), so writing it into a published version is safe.
 */
export async function writeRunReport(versionDir: string, status: ReportStatus): Promise<string> {
  const target = path.join(versionDir, versionFiles.html);
  const page = renderRunReport(await readRunReportInput(versionDir, status));
  const existing = await readFile(target, 'utf8').catch(() => undefined);
  if (existing !== page) await writeFileAtomic(target, page);
  return target;
}

async function readJsonFile<T>(file: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw invalidInput(`${file}: cannot be read (${(err as Error).message.split('\n')[0]})`, {
      file,
    });
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw invalidInput(`${file}: is not valid JSON`, { file });
  }
}
