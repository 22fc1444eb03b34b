import type { SuccessMarker } from '../warehouse/versions.js';
import type { ServeContext } from './context.js';

function versionJson(marker: SuccessMarker, current: boolean): Record<string, unknown> {
  return {
    version: marker.version,
    current,
    published_at: marker.created_at,
    row_count: marker.row_count,
    reject_count: marker.reject_count,
    content_checksum: marker.content_checksum,
    input_epoch: marker.lineage.input_epoch,
    manifest_sha256: marker.lineage.manifest_sha256,
    opening_version: marker.lineage.opening_version,
    supersedes: marker.lineage.supersedes,
  };
}

/**
 * GET /api/dates: every date with a published version, newest first, each with the version its
 * unpinned requests are answered from (`current_version`, null with `current_error` when CURRENT
 * is missing or damaged) and every published version, newest first.
 */
export function datesBody(ctx: ServeContext): Record<string, unknown> {
  return {
    dates: ctx.catalog.dates().map((entry) => {
      const current = ctx.catalog.current(entry.date);
      const currentVersion = current.kind === 'version' ? current.marker.version : null;
      return {
        date: entry.date,
        current_version: currentVersion,
        ...(current.kind === 'version' ? {} : { current_error: current.reason }),
        versions: [...entry.versions.values()]
          .reverse()
          .map((m) => versionJson(m, m.version === currentVersion)),
      };
    }),
  };
}

/** GET /api/health: up, the newest date's current version, and the versions held in memory. */
export function healthBody(ctx: ServeContext): Record<string, unknown> {
  const newest = ctx.catalog.dates()[0];
  const current = newest === undefined ? undefined : ctx.catalog.current(newest.date);
  return {
    status: 'ok',
    settlement_date: newest?.date ?? null,
    version: current?.kind === 'version' ? current.marker.version : null,
    ...(current !== undefined && current.kind !== 'version'
      ? { current_error: current.reason }
      : {}),
    dates: ctx.catalog.dates().length,
    loaded: ctx.store
      .stats()
      .map((s) => ({ version: s.version, rows: s.rows, mb: Math.round(s.bytes / 1e5) / 10 })),
  };
}
