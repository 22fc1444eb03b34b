import type { AssertionResult } from '../contract/run-report.js';
import { rowsTable, section, table } from './blocks.js';
import { formatCount } from './format.js';
import { html, type Markup } from './markup.js';

/** What an assertion's result means for the run: a failed warn-severity check does not stop it. */
export type AssertionOutcome = 'fail' | 'warn' | 'pass';

export function assertionOutcome(a: AssertionResult): AssertionOutcome {
  if (a.status === 'pass') return 'pass';
  return a.severity === 'error' ? 'fail' : 'warn';
}

const ORDER: Record<AssertionOutcome, number> = { fail: 0, warn: 1, pass: 2 };

export function outcomeBadge(outcome: AssertionOutcome): Markup {
  return html`<span class="badge badge-${outcome}">${outcome === 'fail' ? 'FAIL' : outcome}</span>`;
}

/** Every assertion, failures first, with its violating sample rows. */
export function assertionsSection(assertions: AssertionResult[]): Markup {
  const sorted = [...assertions].sort(
    (a, b) => ORDER[assertionOutcome(a)] - ORDER[assertionOutcome(b)],
  );
  return section(
    'assertions',
    'Data-quality assertions',
    table({
      id: 'assertions-table',
      caption: `${assertions.length} assertions (SQL under sql/assertions/); a failed error-severity assertion stops the publish, a failed warning does not`,
      columns: [
        { label: 'assertion' },
        { label: 'severity' },
        { label: 'status' },
        { label: 'violating rows', numeric: true },
        { label: 'sample of violating rows' },
      ],
      rows: sorted.map((a) => ({
        className: `outcome-${assertionOutcome(a)}`,
        data: { assertion: a.name, status: assertionOutcome(a) },
        cells: [
          a.name,
          a.severity,
          outcomeBadge(assertionOutcome(a)),
          formatCount(a.violating_rows),
          sampleTable(a),
        ],
      })),
    }),
  );
}

function sampleTable(a: AssertionResult): Markup | string {
  if (a.sample.length === 0) return a.violating_rows === 0 ? 'none' : 'no sample recorded';
  return rowsTable(
    `first ${a.sample.length} of ${formatCount(a.violating_rows)} violating rows of ${a.name}`,
    a.sample,
  );
}
