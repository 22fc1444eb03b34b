import type { Db } from '../db/duckdb.js';

/**
 * The server's one DuckDB instance, used by one task at a time (version loads, summary totals):
 * a connection runs one statement at a time, and loads would only compete for the same cores.
 */
export class SerialDb {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: Db) {}

  run<T>(task: (db: Db) => Promise<T>): Promise<T> {
    const run = this.queue.then(
      () => task(this.db),
      () => task(this.db),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Waits for the queued tasks, then closes the instance. */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    this.db.close();
  }
}
