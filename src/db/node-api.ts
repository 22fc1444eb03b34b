/**
 * The engine's JavaScript API, in a module of its own so that it is imported on first use (see
 * Db.open): commands that never open an engine do not load it. Named exports here, because a
 * bundle cannot see the names a CommonJS module exports when it is imported lazily.
 */
export { DuckDBInstance, StatementType } from '@duckdb/node-api';
