import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { renderSql, sqlRoot } from '../sql/load.js';
import { conservedFromPublished, conservedFromScan } from '../contract/render.js';
import type { Policy } from '../contract/policy.js';
import type { AssertionResult, Severity } from '../contract/run-report.js';

export type { AssertionResult, Severity };

interface AssertionFile {
  name: string;
  sql: string;
  severity: Severity;
}

/** Reads the severity header; `severity-if-policy: flag=error` raises it when the policy flag is set. */
export function parseSeverity(sql: string, policy: Policy): Severity {
  const base = /^--\s*severity:\s*(error|warn)\s*$/m.exec(sql)?.[1];
  if (base === undefined) throw new Error('assertion SQL lacks a "-- severity: error|warn" header');
  const conditional = /^--\s*severity-if-policy:\s*(\w+)=(error|warn)\s*$/m.exec(sql);
  if (conditional !== null) {
    const flag = conditional[1] as keyof Policy;
    if (policy[flag] === true) return conditional[2] as Severity;
  }
  return base as Severity;
}

export function listAssertions(policy: Policy): AssertionFile[] {
  return readdirSync(path.join(sqlRoot, 'assertions'))
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const sql = renderSql(`assertions/${f}`, {
        from_scan: conservedFromScan(),
        from_published: conservedFromPublished(),
      });
      return { name: f.replace(/\.sql$/, ''), sql, severity: parseSeverity(sql, policy) };
    });
}

/**
 * Runs every assertion in sql/assertions against the staged tables (summary, shard_sums,
 * scan_stats, opening, run_params, complete_entry_ids). Zero rows is a pass.
 */
export async function runAssertions(db: Db, policy: Policy): Promise<AssertionResult[]> {
  const results: AssertionResult[] = [];
  for (const assertion of listAssertions(policy)) {
    const body = assertion.sql.trim().replace(/;$/, '');
    const count = await db.one<{ n: bigint }>(`SELECT count(*) AS n FROM (${body})`);
    const violating = Number(count.n);
    const sample = violating > 0 ? await db.json(`SELECT * FROM (${body}) LIMIT 5`) : [];
    results.push({
      name: assertion.name,
      severity: assertion.severity,
      status: violating === 0 ? 'pass' : 'fail',
      violating_rows: violating,
      sample,
    });
  }
  return results;
}

export function failedErrors(results: AssertionResult[]): AssertionResult[] {
  return results.filter((r) => r.status === 'fail' && r.severity === 'error');
}
