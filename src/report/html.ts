import { assertionsSection } from './assertions.js';
import type { RunReportInput } from './input.js';
import { html } from './markup.js';
import { header, overviewSection } from './overview.js';
import { rejectsSection } from './rejects.js';
import { shardsSection } from './shards.js';
import { STYLE } from './style.js';
import { reduceSection, stagesSection, timelineSection } from './timing.js';
import { totalsSection } from './totals.js';

export type { ReportStatus, RunReportInput } from './input.js';

const CONTENTS: Array<[string, string]> = [
  ['overview', 'Overview'],
  ['totals', 'Totals per currency'],
  ['assertions', 'Assertions'],
  ['shards', 'Shards'],
  ['rejects', 'Rejected rows'],
  ['timeline', 'Task timeline'],
  ['stages', 'Stage seconds'],
  ['reduce', 'Reduce partitions'],
];

/**
 * The run report of one version (or failed run) as one self-contained HTML document: inline CSS
 * and SVG, no script, nothing fetched (its Content-Security-Policy forbids it), every value from
 * the run's files escaped. The same input always renders the same bytes.
 */
export function renderRunReport(input: RunReportInput): string {
  const { report } = input;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta
          http-equiv="Content-Security-Policy"
          content="default-src 'none'; style-src 'unsafe-inline'"
        />
        <title>Run report ${report.version} (${report.settlement_date}, ${input.status})</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body>
        ${header(input)}
        <nav class="toc" aria-label="Contents">
          <ul>
            ${CONTENTS.map(([id, title]) => html`<li><a href="#${id}">${title}</a></li>`)}
          </ul>
        </nav>
        <main>
          ${overviewSection(input)} ${totalsSection(report.totals)}
          ${assertionsSection(input.assertions)} ${shardsSection(report)}
          ${rejectsSection(report.rejects)} ${timelineSection(report)} ${stagesSection(report)}
          ${reduceSection(report)}
        </main>
        <footer>
          <p>
            Rendered by <code>settle report</code> from <code>_run_report.json</code>,
            <code>_dq.json</code> and <code>_SUCCESS</code> of the version directory; it is not part
            of the content checksum.
          </p>
        </footer>
      </body>
    </html> `.text;
}
