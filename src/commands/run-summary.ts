import type { RunResult } from '../stages/pipeline.js';
import { formatMinor } from '../util/money.js';
import { toTable, type Row } from './format.js';

/**
 * What `settle run` prints: the outcome and where it landed, elapsed time, totals per currency in
 * major units (exact, from integer minor units), the incomplete shards and why, the assertions.
 */
export function runSummary(result: RunResult, seconds: number): string {
  const totals: Row[] = result.totals.map((t) => {
    const money = (column: string): string => formatMinor(String(t[column]), t.decimals);
    return {
      currency: t.currency,
      rows: Number(t.rows),
      entries: Number(t['entry_count']),
      gross_inflow: money('gross_inflow'),
      net_inflow: money('net_inflow'),
      available_delta: money('available_delta'),
      rejected: Number(t['rejected_entries']),
      incomplete_rows: Number(t.incomplete_rows),
    };
  });
  const incomplete = result.report.shards.filter((s) => s.incomplete.length > 0);
  return [
    `${outcomeText(result.outcome)} ${result.version} for ${result.settlementDate} in ${seconds.toFixed(1)} s: ${result.rowCount} rows, content checksum ${result.contentChecksum}`,
    `  published at ${result.versionDir}`,
    `  manifest ${result.manifestPath} (rerun with: settle run --manifest ${result.manifestPath})`,
    '  totals per currency (money in major units):',
    indent(
      toTable(
        [
          'currency',
          'rows',
          'entries',
          'gross_inflow',
          'net_inflow',
          'available_delta',
          'rejected',
          'incomplete_rows',
        ],
        totals,
      ),
    ),
    incomplete.length === 0
      ? '  books complete on every shard'
      : `  incomplete shards (${incomplete.length}):\n${incomplete.map((s) => `    ${s.shard_id}: ${s.incomplete.join('; ')}`).join('\n')}`,
    `  assertions: ${result.assertions.map((a) => `${a.name} ${a.status === 'pass' ? 'pass' : `${a.severity === 'error' ? 'FAIL' : 'warn'} (${a.violating_rows})`}`).join(', ')}`,
    `  tasks: ${result.report.timeline.length} run, ${result.report.tasks_reused} reused; reduce partitions ${result.report.reduce.partitions}, salts ${result.report.reduce.salts}, max/mean rows ${result.report.reduce.max_over_mean.toFixed(2)}`,
  ].join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

function outcomeText(outcome: RunResult['outcome']): string {
  if (outcome === 'published') return 'published';
  if (outcome === 'rebuilt') return 'rebuilt (not published)';
  if (outcome === 'pointer-completed') return 'published (completed an interrupted publish of)';
  return 'already published (no-op):';
}
