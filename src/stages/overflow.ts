import type { Db } from '../db/duckdb.js';
import {
  ENTRY_COLUMNS,
  SCAN_MEASURES,
  measureName,
  measuresOf,
  type ScanMeasure,
} from '../contract/columns.js';
import type { EntryType } from '../contract/entry-types.js';
import { overflowedColumns } from '../contract/render.js';
import { errorMessage, invalidInput, type SettleError } from '../errors.js';
import { quoteStringList, sqlInteger } from '../sql/fragment.js';
import { loadSql, renderSql } from '../sql/load.js';

/**
 * Money is BIGINT minor units end to end (SPEC section 4), and so are the run's per-entry-type
 * sums of one merchant and currency that the published columns are computed from (a net column
 * such as chargebacks_net may fit while one of its sums does not). A day with such a sum, or with
 * a published value past the range, cannot be published; DuckDB's failed cast names only an
 * internal column, so the stage where it happens finds the key and says which one.
 */
const BIGINT_OVERFLOW = /out of range for the destination type INT64/;

/** Runs `work`; if it fails on a BIGINT overflow, `diagnose` finds the key to name instead. */
export async function explainOverflow<T>(
  work: () => Promise<T>,
  diagnose: () => Promise<SettleError | undefined>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!BIGINT_OVERFLOW.test(errorMessage(err))) throw err;
    throw (await diagnose()) ?? err;
  }
}

interface KeyTotal {
  merchant_id: string;
  currency: string;
  total: string;
}

/** A scan task's failed sums: the task's accepted rows summed per key and entry type. */
export async function scanOverflow(db: Db): Promise<SettleError | undefined> {
  const [found] = await db.all<KeyTotal & { entry_type: EntryType }>(
    loadSql('stages/scan/overflow_keys.sql'),
  );
  return found && entryTotalOverflow(found, { measure: 'amount', entryType: found.entry_type });
}

/** A reduce task's failed key totals: its inputs summed per key and measure. */
export async function reduceOverflow(
  db: Db,
  sums: string[],
  part: number,
): Promise<SettleError | undefined> {
  const [found] = await db.all<KeyTotal & { measure: string }>(
    renderSql('stages/reduce/overflow_keys.sql', {
      sums: quoteStringList(sums),
      part: sqlInteger(part),
    }),
  );
  const measure = SCAN_MEASURES.find((m) => m.name === found?.measure);
  return found && (measure ? entryTotalOverflow(found, measure) : undefined);
}

/** The first published row with a money or count column past BIGINT (assembly, after the cast). */
export async function assemblyOverflow(db: Db): Promise<SettleError | undefined> {
  const [found] = await db.all<{ merchant_id: string; currency: string; columns: string[] }>(
    renderSql('stages/reduce/overflow_columns.sql', { overflowed: overflowedColumns() }),
  );
  if (found === undefined) return undefined;
  const columns = found.columns.join(', ');
  return invalidInput(
    `merchant ${found.merchant_id}, currency ${found.currency}: ${columns} past the BIGINT (int64) range of the published money and count columns; nothing published`,
    { field: columns },
  );
}

function entryTotalOverflow(key: KeyTotal, measure: Omit<ScanMeasure, 'name'>): SettleError {
  const type = measure.entryType === 'all' ? '' : ` ${measure.entryType}`;
  const what =
    measure.measure === 'amount'
      ? `accepted${type} amounts sum to ${key.total} minor units`
      : `accepted${type} entries number ${key.total}`;
  const name = measureName(measure.measure, measure.entryType);
  const columns = ENTRY_COLUMNS.filter((c) => measuresOf(c).includes(name)).map((c) => c.name);
  return invalidInput(
    `merchant ${key.merchant_id}, currency ${key.currency}: ${what}, past the BIGINT (int64) range of the per-type sums behind ${columns.join(', ')}; nothing published`,
    { field: columns.join(', ') },
  );
}
