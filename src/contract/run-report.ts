import type { Policy } from './policy.js';

/**
 * The files a version carries besides its data: `_run_report.json` (RunReport) and `_dq.json`
 * (AssertionResult[]). The HTML run report is rendered from them alone, so it can be rebuilt for
 * any version later.
 */

/** When and where a task ran: the run report's timeline. */
export interface TaskTiming {
  task: string;
  worker: string;
  started_at: string;
  ended_at: string;
  seconds: number;
}

export type Severity = 'error' | 'warn';

export interface AssertionResult {
  name: string;
  severity: Severity;
  status: 'pass' | 'fail';
  violating_rows: number;
  /** Up to five violating rows, JSON-safe, so a failure can be read without rerunning. */
  sample: Array<Record<string, unknown>>;
}

/** Per-currency totals of the published rows: counts, and money as integer minor-unit strings. */
export interface CurrencyTotals {
  currency: string;
  decimals: number;
  rows: string;
  incomplete_rows: string;
  [column: string]: string | number;
}

/** `_run_report.json`: what a run did and found; the HTML run report is rendered from it. */
export interface RunReport {
  manifest_sha256: string;
  version: string;
  settlement_date: string;
  lineage: { input_epoch: string; opening_version: string | null; supersedes: string | null };
  policy: Policy;
  attempt: string;
  stage_seconds: Record<string, number>;
  task_seconds: Record<string, number>;
  /** When and where every task that ran in this attempt ran (reused tasks are absent). */
  timeline: TaskTiming[];
  shards: Array<{
    shard_id: string;
    reused: boolean;
    rows_read: number;
    accepted: number;
    rejected: number;
    excluded: number;
    duplicates_removed: number;
    reject_reasons: Record<string, number>;
    incomplete: string[];
  }>;
  reduce: {
    partitions: number;
    salts: number;
    partition_rows: number[];
    max_over_mean: number;
  };
  entry_ids: { candidates: number };
  totals: CurrencyTotals[];
  rejects: { by_reason: Record<string, number>; examples: Array<Record<string, unknown>> };
  unlisted_files: string[];
  tasks_reused: number;
}
