import { PUBLISHED_COLUMNS } from '../contract/columns.js';
import type { CurrencyTotals } from '../contract/run-report.js';
import { section, table } from './blocks.js';
import { formatCount, formatMoney } from './format.js';
import { html, type Markup } from './markup.js';

/** The measures shown per currency, in published column order after the row counts. */
const MEASURES: Array<{ name: string; money: boolean }> = [
  { name: 'rows', money: false },
  { name: 'incomplete_rows', money: false },
  ...PUBLISHED_COLUMNS.filter((c) => c.kind === 'money' || c.kind === 'count').map((c) => ({
    name: c.name,
    money: c.kind === 'money',
  })),
];

/**
 * Totals of the published rows, one column per currency: money in exact major units (string
 * arithmetic on the integer minor units, with the currency's ISO 4217 decimals), counts as counts.
 */
export function totalsSection(totals: CurrencyTotals[]): Markup {
  if (totals.length === 0) return section('totals', 'Totals per currency', html`<p>No rows.</p>`);
  return section(
    'totals',
    'Totals per currency',
    table({
      id: 'totals-table',
      caption: 'Money in major units (exact; decimals per currency); counts of rows and entries',
      columns: [
        { label: 'measure' },
        ...totals.map((t) => ({
          label: `${t.currency} (${t.decimals} decimal${t.decimals === 1 ? '' : 's'})`,
          numeric: true,
        })),
      ],
      rows: MEASURES.map((m) => ({
        className: m.money ? 'money' : undefined,
        data: { measure: m.name },
        cells: [
          m.name,
          ...totals.map((t) => {
            const value = t[m.name];
            if (value === undefined) return '—';
            return m.money ? formatMoney(value, t.decimals) : formatCount(value);
          }),
        ],
      })),
    }),
  );
}
