import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { quoteString, quoteStringList } from '../sql/fragment.js';
import { invalidInput } from '../errors.js';
import { renderSql } from '../sql/load.js';
import { REJECT_COLUMNS } from '../contract/inputs.js';
import { emptyColumns, publishedColumnTypes } from '../contract/render.js';
import {
  CHECKSUM_ALGORITHM,
  checksumAlgorithmOf,
  checksumHeader,
  checksumRowText,
  type ChecksumAlgorithm,
} from '../contract/checksum.js';
import { crashPoint } from '../util/crash-points.js';
import { fsyncDir, isDirectory, isFile, writeFileAtomic } from '../util/files.js';
import { versionFiles, type WarehouseLayout } from '../warehouse/layout.js';
import { rewriteDerived } from '../warehouse/derived.js';
import { withLock } from '../warehouse/lock.js';
import {
  findVersionDirs,
  readHistory,
  readSuccess,
  swapPointer,
  type Lineage,
  type Pointer,
  type SuccessMarker,
} from '../warehouse/versions.js';
import { DATASET } from '../contract/manifest.js';
import { fsyncTree } from '../util/fsync.js';
import type { AssertionResult } from './assertions.js';
import { jsonBigint } from '../util/json.js';

export interface StagedVersion {
  dir: string;
  version: string;
  settlementDate: string;
  contentChecksum: string;
  checksumAlgorithm: ChecksumAlgorithm;
  rowCount: number;
  rejectCount: number;
}

export interface StageRequest {
  stagingDir: string;
  version: string;
  settlementDate: string;
  manifestText: string;
  rejectFiles: string[];
  assertions: AssertionResult[];
  report: unknown;
  /** Default: the current algorithm (verify's rebuild passes the one the version records). */
  checksumAlgorithm?: ChecksumAlgorithm;
}

/** Writes a complete version directory under the attempt's staging area and checksums it. */
export async function stageVersion(db: Db, request: StageRequest): Promise<StagedVersion> {
  const dir = path.join(request.stagingDir, request.version);
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, versionFiles.data), { recursive: true });
  await mkdir(path.join(dir, versionFiles.rejects), { recursive: true });
  // The summary table was created in key order (assemble.sql), and DuckDB's COPY of one table
  // keeps insertion order: sorting it again cost a third of the staging time.
  await db.copyToParquet(
    'SELECT * FROM summary',
    path.join(dir, versionFiles.data, 'part-00000.parquet'),
    'zstd',
  );
  crashPoint('stage:data-written');
  const rejectsQuery =
    request.rejectFiles.length > 0
      ? renderSql('stages/publish/all_rejects.sql', {
          rejects: quoteStringList(request.rejectFiles),
        })
      : renderSql('stages/publish/empty_rejects.sql', {
          reject_columns: emptyColumns(REJECT_COLUMNS),
        });
  await db.copyToParquet(
    rejectsQuery,
    path.join(dir, versionFiles.rejects, 'part-00000.parquet'),
    'zstd',
  );
  await writeFile(path.join(dir, versionFiles.manifest), request.manifestText);
  await writeFile(
    path.join(dir, versionFiles.dq),
    `${JSON.stringify(request.assertions, jsonBigint, 2)}\n`,
  );
  await writeFile(
    path.join(dir, versionFiles.report),
    `${JSON.stringify(request.report, jsonBigint, 2)}\n`,
  );
  const checksumAlgorithm = request.checksumAlgorithm ?? CHECKSUM_ALGORITHM;
  const sums = await contentChecksum(db, dir, checksumAlgorithm);
  // Everything staged reaches the disk before the version can be renamed into place and marked.
  await fsyncTree(dir);
  return {
    dir,
    version: request.version,
    settlementDate: request.settlementDate,
    checksumAlgorithm,
    ...sums,
  };
}

/**
 * The content checksum of a version directory (staged or published), with `algorithm` (new
 * versions: the current one; an existing version: the one its `_SUCCESS` records). Computed whole
 * in DuckDB: the row digests of a large version never leave the engine (a 10M-row version's are
 * 640 MB of hex).
 */
export async function contentChecksum(
  db: Db,
  versionDir: string,
  algorithm: ChecksumAlgorithm = CHECKSUM_ALGORITHM,
): Promise<{ contentChecksum: string; rowCount: number; rejectCount: number }> {
  const files = {
    data: quoteString(path.join(versionDir, versionFiles.data, '*.parquet')),
    rejects: quoteString(path.join(versionDir, versionFiles.rejects, '*.parquet')),
  };
  const summaryColumns = publishedColumnTypes();
  const sql =
    algorithm === 'json-rows-v1'
      ? renderSql('stages/publish/content_checksum_json_rows_v1.sql', files)
      : renderSql('stages/publish/content_checksum_text_rows_v2.sql', {
          ...files,
          summary_header: quoteString(checksumHeader('summary', summaryColumns)),
          rejects_header: quoteString(checksumHeader('rejects', REJECT_COLUMNS)),
          summary_row: checksumRowText(summaryColumns, 's'),
          reject_row: checksumRowText(REJECT_COLUMNS, 'r'),
        });
  const row = await db.one<{ content_checksum: string; row_count: bigint; reject_count: bigint }>(
    sql,
  );
  return {
    contentChecksum: row.content_checksum,
    rowCount: Number(row.row_count),
    rejectCount: Number(row.reject_count),
  };
}

/**
 * A staged version checksummed the way an already published version of the same id was, so the
 * same-id no-op compares like with like (a version published before the current algorithm).
 * Unchanged when no such version exists or it records the current algorithm.
 */
export async function checksumLikeExisting(
  db: Db,
  layout: WarehouseLayout,
  staged: StagedVersion,
): Promise<StagedVersion> {
  const existing = await readSuccess(layout, staged.settlementDate, staged.version);
  if (existing === undefined) return staged;
  const algorithm = checksumAlgorithmOf(existing);
  if (algorithm === staged.checksumAlgorithm) return staged;
  const sums = await contentChecksum(db, staged.dir, algorithm);
  return { ...staged, ...sums, checksumAlgorithm: algorithm };
}

export type PublishOutcome = 'published' | 'already-published' | 'pointer-completed';

export interface PublishResult {
  outcome: PublishOutcome;
  marker: SuccessMarker;
  dir: string;
  /** Derived files (history copy, catalog.sql) that could not be rewritten; the next pointer move redoes them. */
  warnings: string[];
}

/**
 * Makes a staged version visible, under the dataset lock: rename the whole (fsynced) directory
 * into place, write `_SUCCESS`, then swap `CURRENT` (which carries the pointer history). Every
 * fallible write comes before the swap; a failure there withdraws the version and leaves
 * `CURRENT` untouched. After the swap only derived files are written (the history copy and
 * catalog.sql); their failure is a warning, and the next publish or rollback rewrites them.
 * An existing version id is a no-op when its checksum matches and refused otherwise. A version
 * directory without `_SUCCESS` is a crashed publish: set aside.
 */
export async function publishVersion(
  layout: WarehouseLayout,
  staged: StagedVersion,
  lineage: Lineage,
): Promise<PublishResult> {
  return withLock(layout.lockFile, async () => {
    const target = layout.versionDir(staged.settlementDate, staged.version);
    for (const other of await findVersionDirs(layout, staged.version)) {
      if (other.settlementDate !== staged.settlementDate) {
        throw invalidInput(
          `version ${staged.version} already exists for date ${other.settlementDate}; version ids are unique across dates (publish under another id with --version-id)`,
          { field: 'version' },
        );
      }
    }
    const existing = await readSuccess(layout, staged.settlementDate, staged.version);
    if (existing !== undefined)
      return { ...(await settleExisting(layout, staged, existing)), dir: target };
    if (await isDirectory(target)) await setAside(layout, target);

    await mkdir(path.dirname(target), { recursive: true });
    crashPoint('publish:before-rename');
    await rename(staged.dir, target);
    await fsyncDir(path.dirname(target));
    crashPoint('publish:renamed');
    const marker: SuccessMarker = {
      dataset: DATASET,
      version: staged.version,
      settlement_date: staged.settlementDate,
      row_count: staged.rowCount,
      reject_count: staged.rejectCount,
      content_checksum: staged.contentChecksum,
      checksum_algorithm: staged.checksumAlgorithm,
      created_at: new Date().toISOString(),
      lineage,
    };
    let pointer: Pointer;
    try {
      await writeFileAtomic(
        path.join(target, versionFiles.success),
        `${JSON.stringify(marker, null, 2)}\n`,
      );
      crashPoint('publish:success-written');
      pointer = await swapPointer(layout, staged.settlementDate, marker, 'publish');
    } catch (err) {
      // A failed (not killed) publish must not leave a new version behind: withdraw it.
      await rm(path.join(target, versionFiles.success), { force: true }).catch(() => undefined);
      await setAside(layout, target).catch(() => undefined);
      throw err;
    }
    crashPoint('publish:pointer-swapped');
    const warnings = await rewriteDerived(layout, staged.settlementDate, pointer);
    return { outcome: 'published', marker, dir: target, warnings };
  });
}

async function settleExisting(
  layout: WarehouseLayout,
  staged: StagedVersion,
  existing: SuccessMarker,
): Promise<{ outcome: PublishOutcome; marker: SuccessMarker; warnings: string[] }> {
  const recordedAlgorithm = checksumAlgorithmOf(existing);
  if (recordedAlgorithm !== staged.checksumAlgorithm) {
    throw invalidInput(
      `version ${staged.version} is already published with a ${recordedAlgorithm} checksum; this run's is ${staged.checksumAlgorithm} (another settle published it meanwhile: rerun to compare)`,
      { field: 'version' },
    );
  }
  if (existing.content_checksum !== staged.contentChecksum) {
    throw invalidInput(
      `version ${staged.version} is already published with content checksum ${existing.content_checksum}; this run produced ${staged.contentChecksum} (refusing to overwrite; publish under another id with --version-id)`,
      { field: 'version' },
    );
  }
  // A crash between `_SUCCESS` and the pointer swap leaves a version that was never current:
  // finish that publish. A version that was current once (maybe since rolled back) stays as is.
  const history = await readHistory(layout, staged.settlementDate);
  if (history.some((e) => e.version === staged.version))
    return { outcome: 'already-published', marker: existing, warnings: [] };
  const pointer = await swapPointer(layout, staged.settlementDate, existing, 'publish');
  const warnings = await rewriteDerived(layout, staged.settlementDate, pointer);
  return { outcome: 'pointer-completed', marker: existing, warnings };
}

async function setAside(layout: WarehouseLayout, dir: string): Promise<void> {
  await mkdir(layout.trashDir, { recursive: true });
  const aside = path.join(layout.trashDir, `${path.basename(dir)}-${Date.now()}-${process.pid}`);
  if (await isFile(path.join(dir, versionFiles.success)))
    throw new Error(`refusing to set aside published version ${dir}`);
  await rename(dir, aside);
}
