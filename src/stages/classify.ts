import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { scanMeasureSums } from '../contract/render.js';
import { isRejectReason } from '../contract/reject-reasons.js';
import {
  quoteString,
  quoteStringList,
  sqlInteger,
  sqlIntegerList,
  trustedSql,
  type SqlFragment,
} from '../sql/fragment.js';
import { loadSql, renderSql } from '../sql/load.js';
import type { SettleError } from '../errors.js';
import { explainOverflow, scanOverflow } from './overflow.js';
import { scanFiles, type ShuffleSettings } from './partitioning.js';

/** The files a scan task classifies, and which source (shard) each one counts for. */
export interface ScanSources {
  /** Absolute paths. */
  files: string[];
  /** The same files relative to the snapshot root (how rejects name them). */
  relative: string[];
  /** Index into the task's sources of each file. */
  sourceOfFile: number[];
  sourceCount: number;
}

export interface SourceCounts {
  accepted: number;
  rejected: number;
  reject_reasons: Record<string, number>;
}

export interface ClassifiedCounts {
  sources: SourceCounts[];
  rejects: boolean;
  customer_tuples: number;
  /** Rows of the task's partitioned outputs per reduce partition: [partition, rows]. */
  partition_rows: Array<[number, number]>;
}

/**
 * `createSource` defines the `scan_source` view (ledger_source*.sql or corrections_source.sql)
 * over `files`, numbering each row's source with the `sourceNo` expression.
 */
export type SourceView = (files: SqlFragment, sourceNo: SqlFragment) => Promise<void>;

/**
 * Classifies a scan task's rows (pre_aggregate.sql: group, then classify each group once) and
 * writes its sums and customer tuples, partitioned for the reduce side, and its rejected rows.
 * Shared by ledger scans and the corrections task.
 */
export async function classifyAndWrite(
  db: Db,
  sources: ScanSources,
  out: { dir: string; shuffle: ShuffleSettings },
  createSource: SourceView,
): Promise<ClassifiedCounts> {
  const files = quoteStringList(sources.files);
  if (sources.files.length > 0) await createSource(files, sourceNumber(sources, files));
  else await db.run(loadSql('stages/scan/empty_source.sql'));
  await db.run(loadSql('stages/scan/classified_source.sql'));
  const overflow = (): Promise<SettleError | undefined> => scanOverflow(db);
  await explainOverflow(() => db.run(loadSql('stages/scan/pre_aggregate.sql')), overflow);
  const counts = await sourceCounts(db, sources.sourceCount);
  const rejected = counts.reduce((a, s) => a + s.rejected, 0);
  // The rejects pass reads the sources again, so it only runs when there is something to keep.
  if (rejected > 0) {
    const rejectsFile = path.join(out.dir, scanFiles.rejects);
    await db.copyToParquet(
      renderSql('stages/scan/shard_rejects.sql', {
        files,
        relative: quoteStringList(sources.relative),
      }),
      rejectsFile,
    );
    const rejects = quoteString(rejectsFile);
    await countReasons(db, rejects, sources, counts);
    await db.run(renderSql('stages/scan/rejected_keys.sql', { rejects }));
  } else await db.run(loadSql('stages/scan/rejected_keys_empty.sql'));
  const layout = {
    partitions: sqlInteger(out.shuffle.partitions),
    salts: sqlInteger(out.shuffle.salts),
    // Sorted by partition, a reduce task reads only its own row groups of each output. With one
    // partition there is nothing to skip: the sort cost 0.15 s of 0.34 s for 187k keys.
    order_by_part: trustedSql(out.shuffle.partitions > 1 ? 'ORDER BY part' : ''),
  };
  const sums = path.join(out.dir, scanFiles.sums);
  const customers = path.join(out.dir, scanFiles.customers);
  await explainOverflow(
    () =>
      db.copyToParquet(
        renderSql('stages/scan/shard_sums.sql', { ...layout, measures: scanMeasureSums() }),
        sums,
      ),
    overflow,
  );
  const tuples = await db.copyToParquet(
    renderSql('stages/scan/shard_customers.sql', layout),
    customers,
  );
  const parts = await db.all<{ part: number; rows: bigint }>(
    renderSql('stages/shuffle/partition_rows.sql', { files: quoteStringList([sums, customers]) }),
  );
  return {
    sources: counts,
    rejects: rejected > 0,
    customer_tuples: tuples,
    partition_rows: parts.map((p) => [p.part, Number(p.rows)]),
  };
}

/** Rows accepted and rejected per source, from the pre-aggregate. */
async function sourceCounts(db: Db, count: number): Promise<SourceCounts[]> {
  const rows = await db.all<{ source_no: number; rejected: boolean; rows: bigint }>(
    loadSql('stages/scan/shard_stats.sql'),
  );
  const counts: SourceCounts[] = Array.from({ length: count }, () => ({
    accepted: 0,
    rejected: 0,
    reject_reasons: {},
  }));
  for (const row of rows) {
    const source = counts[row.source_no];
    if (source === undefined) throw new Error(`classified rows of unknown source ${row.source_no}`);
    if (row.rejected) source.rejected += Number(row.rows);
    else source.accepted += Number(row.rows);
  }
  return counts;
}

/**
 * Fills each source's reject reasons from the rows the rejects pass kept. That pass classifies
 * the rows again (the same classified_source view); if it ever kept other rows than the
 * pre-aggregate counted as rejected, the run stops rather than publish counts that disagree.
 */
async function countReasons(
  db: Db,
  rejects: SqlFragment,
  sources: ScanSources,
  counts: SourceCounts[],
): Promise<void> {
  const rows = await db.all<{ file: string; reject_reason: string; rows: bigint }>(
    renderSql('stages/scan/reject_reasons.sql', { rejects }),
  );
  const kept = counts.map(() => 0);
  for (const row of rows) {
    const sourceNo = sources.sourceOfFile[sources.relative.indexOf(row.file)] ?? -1;
    const source = counts[sourceNo];
    if (source === undefined) throw new Error(`rejected rows of unknown file ${row.file}`);
    // A reason outside the contract would be a typo in the classification SQL.
    if (!isRejectReason(row.reject_reason))
      throw new Error(`classification produced unknown reject reason ${row.reject_reason}`);
    const n = Number(row.rows);
    source.reject_reasons[row.reject_reason] = (source.reject_reasons[row.reject_reason] ?? 0) + n;
    kept[sourceNo] = (kept[sourceNo] ?? 0) + n;
  }
  counts.forEach((source, i) => {
    if (kept[i] !== source.rejected)
      throw new Error(
        `source ${i}: the pre-aggregate rejected ${source.rejected} rows, the rejects pass kept ${kept[i]} (pre_aggregate.sql vs shard_rejects.sql)`,
      );
  });
}

/** A row's source: a constant for a one-source task, else looked up by the row's file. */
function sourceNumber(sources: ScanSources, files: SqlFragment): SqlFragment {
  if (sources.sourceCount === 1) return sqlInteger(0);
  return trustedSql(`${sqlIntegerList(sources.sourceOfFile)}[list_position(${files}, e.filename)]`);
}
