import path from 'node:path';
import { invalidInput } from '../errors.js';
import { isoDate, versionId } from '../contract/manifest.js';
import { versionFiles, type WarehouseLayout } from './layout.js';
import { findVersionDirs, readPointer, readSuccess, type SuccessMarker } from './versions.js';

export interface ResolvedVersion {
  marker: SuccessMarker;
  dir: string;
  dataGlob: string;
  rejectsGlob: string;
}

export function checkDate(date: string, flag = '--date'): string {
  const parsed = isoDate.safeParse(date);
  if (!parsed.success)
    throw invalidInput(`${flag} ${JSON.stringify(date)} is not a date (YYYY-MM-DD)`, {
      field: flag.slice(2),
    });
  return date;
}

export function checkVersionId(version: string, flag = '--version'): string {
  if (!versionId.safeParse(version).success) {
    const shown = JSON.stringify(version.length > 60 ? `${version.slice(0, 60)}...` : version);
    const why =
      version.length > 128
        ? `is ${version.length} characters long; a version id has at most 128`
        : 'is not a version id (like v7811 or v7811.1)';
    throw invalidInput(`${flag} ${shown} ${why}`, { field: flag.slice(2) });
  }
  return version;
}

/**
 * A published version: pinned by id (optionally checked against a date), or the date's current
 * one. A version without `_SUCCESS` does not exist for consumers.
 */
export async function resolveVersion(
  layout: WarehouseLayout,
  request: { date?: string; version?: string; flag?: string },
): Promise<ResolvedVersion> {
  if (request.date !== undefined) checkDate(request.date);
  let version = request.version;
  if (version === undefined) {
    if (request.date === undefined)
      throw invalidInput('give --date (its current version) or --version', { field: 'date' });
    const pointer = await readPointer(layout, request.date);
    if (pointer === undefined)
      throw invalidInput(`no current version for ${request.date} in ${layout.root}`, {
        field: 'date',
      });
    version = pointer.version;
  }
  const flag = request.flag ?? '--version';
  const field = flag.slice(2).replace('-', '_');
  checkVersionId(version, flag);
  const found = (await findVersionDirs(layout, version))[0];
  if (found === undefined)
    throw invalidInput(`${flag}: version ${version} does not exist in ${layout.root}`, { field });
  if (request.date !== undefined && found.settlementDate !== request.date) {
    throw invalidInput(`version ${version} is for ${found.settlementDate}, not ${request.date}`, {
      field: 'version',
    });
  }
  const marker = await readSuccess(layout, found.settlementDate, version);
  if (marker === undefined) {
    throw invalidInput(`${flag}: version ${version} has no _SUCCESS: it was never published`, {
      field,
    });
  }
  return {
    marker,
    dir: found.dir,
    dataGlob: path.join(found.dir, versionFiles.data, '*.parquet'),
    rejectsGlob: path.join(found.dir, versionFiles.rejects, '*.parquet'),
  };
}
