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
  log: (line: string) => void;
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
  /** Last use of each loaded version (a counter: cheaper per request than reordering a Map). */
  private readonly used = new Map<string, number>();
  private clock = 0;

  constructor(
    private readonly layout: WarehouseLayout,
    private readonly db: SerialDb,
    private readonly options: StoreOptions,
  ) {}

  /** The loaded version (and marks it recently used), or undefined. */
  peek(version: string): VersionData | undefined {
    const data = this.loaded.get(version);
    if (data !== undefined) this.used.set(version, ++this.clock);
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
    const started = performance.now();
    const load = this.db
      .run((db) => loadVersion(this.layout, db, marker))
      .then((loaded) => {
        const mb = (versionBytes(loaded) / 1e6).toFixed(1);
        const ms = (performance.now() - started).toFixed(0);
        this.options.log(
          `settle serve: loaded ${marker.version} (${loaded.rowCount} rows, ${mb} MB) in ${ms} ms`,
        );
        this.failed.delete(marker.version);
        this.loaded.set(marker.version, loaded);
        this.used.set(marker.version, ++this.clock);
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
    const order = (d: VersionData): number => this.used.get(d.marker.version) ?? 0;
    return [...this.loaded.values()]
      .sort((a, b) => order(a) - order(b))
      .map((d) => ({
        version: d.marker.version,
        rows: d.rowCount,
        bytes: versionBytes(d),
      }));
  }

  private evict(): void {
    while (this.loaded.size > this.options.maxVersions) {
      const [oldest] = [...this.used].sort((a, b) => a[1] - b[1])[0] ?? [];
      if (oldest === undefined) return;
      this.loaded.delete(oldest);
      this.used.delete(oldest);
    }
  }
}
