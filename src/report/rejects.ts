import type { RunReport } from '../contract/run-report.js';
import { rowsTable, section, table } from './blocks.js';
import { formatCount } from './format.js';
import { html, type Markup } from './markup.js';

/** Rejected rows by reason (most first) and the recorded example rows. */
export function rejectsSection(rejects: RunReport['rejects']): Markup {
  const reasons = Object.entries(rejects.by_reason).sort(
    ([a, m], [b, n]) => n - m || (a < b ? -1 : 1),
  );
  if (reasons.length === 0)
    return section('rejects', 'Rejected rows', html`<p>No row was rejected.</p>`);
  const total = reasons.reduce((sum, [, n]) => sum + n, 0);
  return section('rejects', 'Rejected rows', [
    table({
      id: 'rejects-table',
      caption:
        'Rows of complete segments rejected, by first reason (kept in the version’s rejects/)',
      columns: [{ label: 'reason' }, { label: 'rows', numeric: true }],
      rows: reasons.map(([reason, n]) => ({ data: { reason }, cells: [reason, formatCount(n)] })),
      foot: { cells: ['total', formatCount(total)] },
    }),
    rejects.examples.length === 0
      ? html`<p>No example rows recorded.</p>`
      : rowsTable(`Examples: ${rejects.examples.length} rejected rows as read`, rejects.examples),
  ]);
}
