import type { HttpBindings } from '@hono/node-server';
import type { WarehouseLayout } from '../warehouse/layout.js';
import type { SuccessMarker } from '../warehouse/versions.js';
import type { TokenCheck } from './auth.js';
import type { Catalog } from './catalog.js';
import { notFound, unavailable } from './http-error.js';
import { VersionUnavailable } from './load-version.js';
import type { SerialDb } from './serial-db.js';
import type { VersionData } from './version-data.js';
import type { VersionStore } from './version-store.js';

/** The hono environment: requests come from node's http server (the raw request is in env). */
export type ServeEnv = { Bindings: HttpBindings };

/** What the request handlers share: the warehouse, its catalog, loaded versions, the token check. */
export interface ServeContext {
  layout: WarehouseLayout;
  catalog: Catalog;
  store: VersionStore;
  db: SerialDb;
  token: TokenCheck | undefined;
  log: (line: string) => void;
  /** True once shutdown began: responses then close their connection. */
  closing: () => boolean;
}

export interface Resolved {
  marker: SuccessMarker;
  /** Named by `?version=` (cacheable for good) rather than the date's current version. */
  pinned: boolean;
}

/**
 * The one version a request is answered from, resolved once: the pinned `?version=` (it must be a
 * published version of that date) or the date's current version. Ids are matched against the
 * scanned, published versions only; nothing here touches the file system.
 */
export function resolveVersion(ctx: ServeContext, date: string, version?: string): Resolved {
  const entry = ctx.catalog.date(date);
  if (version !== undefined) {
    const marker = entry?.versions.get(version);
    if (marker !== undefined) return { marker, pinned: true };
    const other = ctx.catalog.dateOfVersion(version);
    throw notFound(
      other === undefined
        ? `version ${version} is not published`
        : `version ${version} is a version of ${other}, not of ${date}`,
    );
  }
  if (entry === undefined) throw notFound(`no published version for ${date}`);
  const current = ctx.catalog.current(date);
  if (current.kind === 'version') return { marker: current.marker, pinned: false };
  if (current.kind === 'damaged') throw unavailable(current.reason);
  throw notFound(current.reason);
}

/** The resolved version's data, loaded if needed (503 with the reason when it cannot be read). */
export async function versionData(ctx: ServeContext, resolved: Resolved): Promise<VersionData> {
  const loaded = ctx.store.peek(resolved.marker.version);
  if (loaded !== undefined) return loaded;
  try {
    return await ctx.store.get(resolved.marker);
  } catch (err) {
    if (err instanceof VersionUnavailable) throw unavailable(err.message);
    throw err;
  }
}
