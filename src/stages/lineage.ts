import { invalidInput } from '../errors.js';
import type { Manifest } from '../contract/manifest.js';
import { addDays } from '../util/dates.js';
import type { WarehouseLayout } from '../warehouse/layout.js';
import { resolveVersion } from '../warehouse/resolve.js';
import { listDates, publishedVersions, readPointer } from '../warehouse/versions.js';

/** Lineage rules of a new run: which version id a correction takes, which version opens a date. */

/** A correction run publishes `<base>.<n>` (next free n) and supersedes the date's current version. */
export async function correctionLineage(
  layout: WarehouseLayout,
  base: string,
  date: string,
): Promise<{ version: string; supersedes: string | null }> {
  let highest = 0;
  for (const d of await listDates(layout)) {
    for (const marker of await publishedVersions(layout, d)) {
      const suffix = marker.version.startsWith(`${base}.`)
        ? marker.version.slice(base.length + 1)
        : '';
      if (/^\d+$/.test(suffix)) highest = Math.max(highest, Number(suffix));
    }
  }
  const pointer = await readPointer(layout, date);
  return { version: `${base}.${highest + 1}`, supersedes: pointer?.version ?? null };
}

/** `--opening-version` must name a published version of the day before the settlement date. */
export async function resolveOpening(
  layout: WarehouseLayout,
  version: string,
  settlementDate: string,
): Promise<NonNullable<Manifest['opening_version']>> {
  const { marker } = await resolveVersion(layout, { version, flag: '--opening-version' });
  const previous = addDays(settlementDate, -1);
  if (marker.settlement_date !== previous) {
    throw invalidInput(
      `--opening-version ${version} is for ${marker.settlement_date}; the opening version of ${settlementDate} must be for ${previous}`,
      { field: 'opening_version' },
    );
  }
  return {
    version,
    settlement_date: marker.settlement_date,
    content_checksum: marker.content_checksum,
  };
}
