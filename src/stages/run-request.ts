import { defaultVersionId } from '../contract/manifest.js';
import type { Policy } from '../contract/policy.js';
import type { Db } from '../db/duckdb.js';
import { invalidInput } from '../errors.js';
import type { WarehouseLayout } from '../warehouse/layout.js';
import { checkDate, checkVersionId } from '../warehouse/resolve.js';
import { findVersionDirs } from '../warehouse/versions.js';
import { correctionLineage, resolveOpening } from './lineage.js';
import { buildManifest, loadManifest, type FrozenManifest } from './manifest.js';

/** What `settle run` was asked to do: a frozen manifest, or a snapshot to freeze. */
export interface RunRequest {
  manifest?: string;
  snapshot?: string;
  date?: string;
  epoch?: string;
  openingVersion?: string;
  corrections?: string[];
  versionId?: string;
  allowEmpty?: boolean;
  policy?: Policy;
}

/**
 * Checks the request before any work (flags, version id, the date's presence in the snapshot,
 * lineage), then freezes the input into a manifest (or loads and re-verifies a frozen one). The
 * engine is opened only to freeze a snapshot.
 */
export async function freezeRun(
  openEngine: () => Promise<Db>,
  layout: WarehouseLayout,
  request: RunRequest,
): Promise<FrozenManifest> {
  if (request.manifest !== undefined) {
    const fixed = { ...request, manifest: undefined, allowEmpty: undefined };
    if (Object.values(fixed).some((value) => value !== undefined)) {
      throw invalidInput(
        '--manifest cannot be combined with --snapshot, --date, --epoch, --opening-version, --corrections, --version-id or policy flags (the manifest already fixes them)',
        { field: 'manifest' },
      );
    }
    return loadManifest(request.manifest);
  }
  const { snapshot, epoch } = request;
  if (snapshot === undefined) throw missing('--snapshot');
  if (request.date === undefined) throw missing('--date');
  if (epoch === undefined) throw missing('--epoch');
  const date = checkDate(request.date);
  const base = defaultVersionId(epoch);
  const explicit =
    request.versionId === undefined ? undefined : checkVersionId(request.versionId, '--version-id');
  if (explicit === undefined) checkVersionId(base, '--epoch');
  const opening =
    request.openingVersion === undefined
      ? null
      : await resolveOpening(layout, request.openingVersion, date);
  const corrections = request.corrections ?? [];
  const lineage =
    corrections.length > 0
      ? await correctionLineage(layout, base, date)
      : { version: undefined, supersedes: null };
  const version = explicit ?? lineage.version ?? base;
  await refuseVersionOfAnotherDate(layout, version, date, explicit !== undefined);
  return buildManifest(await openEngine(), {
    snapshot,
    settlementDate: date,
    inputEpoch: epoch,
    opening,
    corrections,
    policy: request.policy,
    allowEmpty: request.allowEmpty,
    supersedes: lineage.supersedes,
    version,
  });
}

function missing(flag: string): Error {
  return invalidInput(`run needs ${flag} (or --manifest FILE)`, { field: flag.slice(2) });
}

/** Version ids are unique across dates: refused before any work, with the way forward. */
async function refuseVersionOfAnotherDate(
  layout: WarehouseLayout,
  version: string,
  date: string,
  explicit: boolean,
): Promise<void> {
  const other = (await findVersionDirs(layout, version)).find((v) => v.settlementDate !== date);
  if (other === undefined) return;
  throw invalidInput(
    `version ${version} already exists for ${other.settlementDate}; version ids are unique across dates, so ${explicit ? 'choose another --version-id' : 'publish this run under another id with --version-id V'}`,
    { field: explicit ? 'version_id' : 'version' },
  );
}
