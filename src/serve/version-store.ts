import type { WarehouseLayout } from '../warehouse/layout.js';
import type { SuccessMarker } from '../warehouse/versions.js';
import { loadVersion, VersionUnavailable } from './load-version.js';
import type { SerialDb } from './serial-db.js';
import { versionBytes, type VersionData } from './version-data.js';

export interface StoreOptions {
  /** Loaded versions kept at most (least recently used first out). */
  maxVersions: number;
  /** How long a failed load is answered from memory before it is tried again. */
  retryMs: number;
}

/**
 * Published versions loaded into memory, at most `maxVersions` of them, least recently used
 * evicted first. Each version loads once however many requests ask for it at the same time. A version whose files cannot be read is
 * remembered as unavailable for `retryMs`, so a broken version costs one read, not one per request.
 */
export class VersionStore {
  private readonly loaded = new Map<string, VersionData>();
  private readonly loading = new Map<string, Promise<VersionData>>();
  private readonly failed = new Map<string, { at: number; error: VersionUnavailable }>();

  constructor(
    private readonly layout: WarehouseLayout,
    private readonly db: SerialDb,
    private readonly options: StoreOptions,
  ) {}

  /** The loaded version (and marks it recently used), or undefined. */
  peek(version: string): VersionData | undefined {
    const data = this.loaded.get(version);
    if (data !== undefined) {
      this.loaded.delete(version);
      this.loaded.set(version, data);
    }
    return data;
  }

  isLoaded(version: string): boolean {
    return this.loaded.has(version);
  }

  /** The version's data, loading it if needed; rejects with VersionUnavailable. */
  get(marker: SuccessMarker): Promise<VersionData> {
    const data = this.peek(marker.version);
    if (data !== undefined) return Promise.resolve(data);
    const pending = this.loading.get(marker.version);
    if (pending !== undefined) return pending;
    const failure = this.failed.get(marker.version);
    if (failure !== undefined && Date.now() - failure.at < this.options.retryMs)
      return Promise.reject(failure.error);
    const load = this.db
      .run((db) => loadVersion(this.layout, db, marker))
      .then((loaded) => {
        this.failed.delete(marker.version);
        this.loaded.set(marker.version, loaded);
        this.evict();
        return loaded;
      })
      .catch((err: unknown) => {
        const error =
          err instanceof VersionUnavailable
            ? err
            : new VersionUnavailable(`version ${marker.version} cannot be read`);
        this.failed.set(marker.version, { at: Date.now(), error });
        throw error;
      })
      .finally(() => this.loading.delete(marker.version));
    this.loading.set(marker.version, load);
    return load;
  }

  /** Versions in memory, least recently used first, with their approximate size. */
  stats(): Array<{ version: string; rows: number; bytes: number }> {
    return [...this.loaded.values()].map((d) => ({
      version: d.marker.version,
      rows: d.rowCount,
      bytes: versionBytes(d),
    }));
  }

  private evict(): void {
    for (const version of this.loaded.keys()) {
      if (this.loaded.size <= this.options.maxVersions) return;
      this.loaded.delete(version);
    }
  }
}
