import { z } from 'zod';
import { MONEY_COLUMNS } from '../contract/columns.js';
import { measureTotals } from '../contract/render.js';
import { renderSql } from '../sql/load.js';
import type { WarehouseLayout } from '../warehouse/layout.js';
import { publishedDataGlob, readRunReport } from '../warehouse/published.js';
import { decimalsOf } from './decimals.js';
import { unavailable } from './http-error.js';
import { readableReason } from './load-version.js';
import { isCount } from './int-column.js';
import type { SerialDb } from './serial-db.js';
import type { VersionData } from './version-data.js';

interface CurrencyTotals {
  currency: string;
  decimals: number;
  rows: number;
  merchants: number;
  reserve_review: number;
  books_incomplete: number;
  payout_eligible: number;
  /** Every money column's total, integer minor units as a string. */
  totals: Record<string, string>;
  /** Every count column's total. */
  count_totals: Record<string, number>;
}

const runReport = z.object({
  shards: z.array(z.object({ shard_id: z.string(), incomplete: z.array(z.string()) })),
});

const computed = new WeakMap<VersionData, Promise<CurrencyTotals[]>>();

/** Per-currency totals of the version (currency_totals.sql), computed once per loaded version. */
function currencyTotals(
  layout: WarehouseLayout,
  db: SerialDb,
  data: VersionData,
): Promise<CurrencyTotals[]> {
  let totals = computed.get(data);
  if (totals === undefined) {
    const sql = renderSql('serve/currency_totals.sql', { totals: measureTotals() });
    totals = db
      .run((d) =>
        d.all<Record<string, unknown>>(sql, { data: publishedDataGlob(layout, data.marker) }),
      )
      .then((rows) => rows.map(toCurrencyTotals))
      .catch((err: unknown) => {
        throw unavailable(
          `totals of ${data.marker.version} cannot be read: ${readableReason(err, layout)}`,
        );
      });
    totals.catch(() => computed.delete(data));
    computed.set(data, totals);
  }
  return totals;
}

function toCurrencyTotals(row: Record<string, unknown>): CurrencyTotals {
  const currency = String(row['currency']);
  const count = (name: string): number => Number(row[name]);
  const totals: Record<string, string> = {};
  const countTotals: Record<string, number> = {};
  for (const [name, value] of Object.entries(row)) {
    if (MONEY_COLUMNS.includes(name)) totals[name] = String(value);
    else if (isCount(name)) countTotals[name] = Number(value);
  }
  return {
    currency,
    decimals: decimalsOf(currency),
    rows: count('rows'),
    merchants: count('merchants'),
    reserve_review: count('reserve_review'),
    books_incomplete: count('books_incomplete'),
    payout_eligible: count('payout_eligible'),
    totals,
    count_totals: countTotals,
  };
}

/**
 * Incomplete shards with their reasons, from the rows' incomplete_reason items
 * (`missing_segment:<shard>`, `replica_lag:<shard>`), with the run report's detail lines when the
 * version has a readable one.
 */
async function incompleteShards(
  layout: WarehouseLayout,
  data: VersionData,
): Promise<Array<{ shard_id: string; reasons: string[]; details: string[] }>> {
  const reasons = new Map<string, Set<string>>();
  for (const text of data.reasons)
    for (const item of text.split(';')) {
      const [reason, shard] = item.split(':');
      if (reason === undefined || shard === undefined) continue;
      reasons.set(shard, (reasons.get(shard) ?? new Set()).add(reason));
    }
  const report = runReport.safeParse(await readRunReport(layout, data.marker));
  const details = new Map(
    report.success ? report.data.shards.map((s) => [s.shard_id, s.incomplete]) : [],
  );
  return [...reasons.keys()].sort().map((shard) => ({
    shard_id: shard,
    reasons: [...(reasons.get(shard) ?? [])].sort(),
    details: details.get(shard) ?? [],
  }));
}

/** The body of GET /api/dates/D/summary for one loaded version. */
export async function summaryBody(
  layout: WarehouseLayout,
  db: SerialDb,
  data: VersionData,
): Promise<Record<string, unknown>> {
  const { marker } = data;
  const currencies = await currencyTotals(layout, db, data);
  const sum = (pick: (c: CurrencyTotals) => number): number =>
    currencies.reduce((total, c) => total + pick(c), 0);
  return {
    version: marker.version,
    settlement_date: marker.settlement_date,
    published_at: marker.created_at,
    content_checksum: marker.content_checksum,
    row_count: marker.row_count,
    reject_count: marker.reject_count,
    lineage: {
      manifest_sha256: marker.lineage.manifest_sha256,
      input_epoch: marker.lineage.input_epoch,
      opening_version: marker.lineage.opening_version,
      supersedes: marker.lineage.supersedes,
    },
    merchants: data.merchantCount,
    rows: data.rowCount,
    reserve_review: sum((c) => c.reserve_review),
    books_incomplete: sum((c) => c.books_incomplete),
    payout_eligible: sum((c) => c.payout_eligible),
    currencies,
    incomplete_shards: await incompleteShards(layout, data),
  };
}
