import type { WarehouseLayout } from '../warehouse/layout.js';
import { scanPublished, type PublishedDate, type PublishedState } from '../warehouse/published.js';
import type { SuccessMarker } from '../warehouse/versions.js';
import type { VersionStore } from './version-store.js';

/** What an unpinned request of a date is answered from. */
export type Current =
  | { kind: 'version'; marker: SuccessMarker }
  | { kind: 'none'; reason: string }
  | { kind: 'damaged'; reason: string };

/**
 * The published state of the warehouse as the server sees it, rescanned every `pollMs` (one
 * directory listing and one pointer read per date), and the version each date's unpinned requests
 * are answered from.
 *
 * When CURRENT moves while the old version is in memory (a date in use), the new version is
 * loaded first and the date switches once it is ready (or failed to load), so requests never wait
 * on a load and never see a gap; otherwise the date switches at once. Either way a request
 * resolves its version once, then answers only from that version's data.
 */
export class Catalog {
  private state: PublishedState = { dates: [] };
  private readonly currents = new Map<string, Current>();
  /** `date@version` switches waiting for a load. */
  private readonly switching = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly layout: WarehouseLayout,
    private readonly store: VersionStore,
    private readonly pollMs: number,
    private readonly log: (line: string) => void,
  ) {}

  /** Scans once, then keeps polling until stop(). */
  async start(): Promise<void> {
    await this.refresh();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  /** Dates with a published version, newest first. */
  dates(): readonly PublishedDate[] {
    return this.state.dates;
  }

  date(date: string): PublishedDate | undefined {
    return this.state.dates.find((d) => d.date === date);
  }

  current(date: string): Current {
    return this.currents.get(date) ?? { kind: 'none', reason: `no published version for ${date}` };
  }

  /** The date of a published version id (ids are unique across dates), if any. */
  dateOfVersion(version: string): string | undefined {
    return this.state.dates.find((d) => d.versions.has(version))?.date;
  }

  async refresh(): Promise<void> {
    this.state = await scanPublished(this.layout, this.state);
    const seen = new Set<string>();
    for (const entry of this.state.dates) {
      seen.add(entry.date);
      this.follow(entry);
    }
    for (const date of this.currents.keys()) if (!seen.has(date)) this.currents.delete(date);
  }

  private follow(entry: PublishedDate): void {
    const { date, pointer } = entry;
    if (pointer.kind === 'missing') {
      this.currents.set(date, { kind: 'none', reason: `${date} has no CURRENT pointer` });
      return;
    }
    if (pointer.kind === 'damaged') {
      this.currents.set(date, { kind: 'damaged', reason: `${date}: ${pointer.reason}` });
      return;
    }
    const target = pointer.marker;
    const now = this.currents.get(date);
    if (now?.kind === 'version' && now.marker.version === target.version) return;
    const inUse = now?.kind === 'version' && this.store.isLoaded(now.marker.version);
    if (!inUse || this.store.isLoaded(target.version)) {
      this.currents.set(date, { kind: 'version', marker: target });
      return;
    }
    const key = `${date}@${target.version}`;
    if (this.switching.has(key)) return;
    this.switching.add(key);
    const switchIfStillCurrent = (): void => {
      this.switching.delete(key);
      const latest = this.date(date)?.pointer;
      if (latest?.kind === 'ok' && latest.marker.version === target.version)
        this.currents.set(date, { kind: 'version', marker: target });
    };
    this.store.get(target).then(switchIfStillCurrent, (err: unknown) => {
      this.log(`settle serve: ${err instanceof Error ? err.message : String(err)}`);
      switchIfStillCurrent();
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.refresh()
        .catch((err: unknown) =>
          this.log(`settle serve: rescanning the warehouse failed: ${String(err)}`),
        )
        .finally(() => this.schedule());
    }, this.pollMs);
    this.timer.unref();
  }
}
