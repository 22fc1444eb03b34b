import { quoteString } from '../sql/fragment.js';
import { defaultThreads } from '../contract/defaults.js';
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';

export interface EngineSettings {
  threads?: number;
  memoryLimit?: string;
  tempDir?: string;
}

export type Params = Record<string, DuckDBValue>;

/** A DuckDB connection with the few query helpers the stages need. */
export class Db {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(settings: EngineSettings = {}): Promise<Db> {
    const options: Record<string, string> = {};
    const threads = settings.threads ?? defaultThreads();
    if (threads !== undefined) options['threads'] = String(threads);
    if (settings.memoryLimit !== undefined) options['memory_limit'] = settings.memoryLimit;
    if (settings.tempDir !== undefined) options['temp_directory'] = settings.tempDir;
    // Loaded on first use: commands that never open an engine start a fifth of a second sooner.
    const { DuckDBInstance } = await import('./node-api.js');
    const instance = await DuckDBInstance.create(':memory:', options);
    const connection = await instance.connect();
    // Timestamps with time zone must render the same on every machine.
    await connection.run("SET TimeZone = 'UTC'");
    return new Db(instance, connection);
  }

  /**
   * Sets an open engine's threads, memory limit and spill directory (what is given), so that one
   * engine can first freeze a manifest and then run it under the run's settings. The spill
   * directory can only change before anything has spilled.
   */
  async configure(settings: EngineSettings): Promise<void> {
    const threads = settings.threads ?? defaultThreads();
    if (threads !== undefined) await this.run(`SET threads = ${threads}`);
    if (settings.memoryLimit !== undefined)
      await this.run(`SET memory_limit = ${quoteString(settings.memoryLimit)}`);
    if (settings.tempDir !== undefined)
      await this.run(`SET temp_directory = ${quoteString(settings.tempDir)}`);
  }

  async run(sql: string, params?: Params): Promise<void> {
    await this.connection.run(sql, params);
  }

  /** Rows as plain JS objects (BIGINT as bigint, DATE as Date). */
  async all<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as T[];
  }

  /** Rows as JSON-safe objects (BIGINT as string, DATE as 'YYYY-MM-DD'). */
  async json<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as T[];
  }

  async one<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T> {
    const rows = await this.all<T>(sql, params);
    const first = rows[0];
    if (first === undefined) throw new Error(`query returned no rows: ${sql.slice(0, 80)}`);
    return first;
  }

  /**
   * Writes a query's rows to a Parquet file and returns how many. Row groups are small so that a
   * reader filtering on a sorted column (a reduce task on `part`) skips what it does not need.
   * Files a later stage reads once (task outputs) are written with snappy, which writes and reads
   * faster; published files with zstd, which is smaller (`compression`).
   */
  async copyToParquet(
    query: string,
    target: string,
    compression: 'snappy' | 'zstd' = 'snappy',
  ): Promise<number> {
    const reader = await this.connection.runAndReadAll(
      `COPY (${query.trim().replace(/;$/, '')}) TO ${quoteString(target)} (FORMAT parquet, COMPRESSION ${compression}, ROW_GROUP_SIZE 16384)`,
    );
    return Number(reader.getRows()[0]?.[0] ?? 0);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Opens a database, runs `fn`, and always closes it. */
export async function withDb<T>(settings: EngineSettings, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await Db.open(settings);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}
