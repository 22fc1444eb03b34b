import { DATASET } from '../contract/manifest.js';
import { assertionOutcome, outcomeBadge } from './assertions.js';
import { facts, section } from './blocks.js';
import { formatCount, formatSeconds } from './format.js';
import type { RunReportInput } from './input.js';
import { html, type Markup, type MarkupValue } from './markup.js';

const NONE = html`<span class="null">none</span>`;

/** The page title and the publish status (a failed run names its failed assertions). */
export function header(input: RunReportInput): Markup {
  const { report, marker } = input;
  const failed = input.assertions
    .filter((a) => assertionOutcome(a) === 'fail')
    .map((a) => `${a.name} (${formatCount(a.violating_rows)} violating rows)`);
  const why = failed.length > 0 ? ` Error-severity assertions failed: ${failed.join(', ')}.` : '';
  const status =
    input.status === 'published'
      ? html`<p id="status" class="status status-published">
          Published${marker ? ` at ${marker.created_at}` : ''}
        </p>`
      : html`<p id="status" class="status status-failed" role="alert">
          FAILED: not published.${why}
        </p>`;
  return html`<header>
    <p class="kicker">settle run report · ${marker?.dataset ?? DATASET}</p>
    <h1>
      Version <span class="id">${report.version}</span>, settlement date ${report.settlement_date}
    </h1>
    ${status}
  </header>`;
}

/** The numbers a reader checks first, and what identifies the version: lineage and policy. */
export function overviewSection(input: RunReportInput): Markup {
  const { report, marker } = input;
  const code = (value: string | null | undefined): MarkupValue =>
    value === null || value === undefined ? NONE : html`<code>${value}</code>`;
  const grid = [
    facts('Version', [
      ['version', code(report.version)],
      ['settlement date', report.settlement_date],
      [
        'status',
        input.status === 'published'
          ? 'published'
          : html`<strong class="flag">failed: not published</strong>`,
      ],
      ['published at', marker?.created_at ?? NONE],
      ['content checksum', code(marker?.content_checksum)],
      ['rows', marker ? formatCount(marker.row_count) : NONE],
      ['rejected rows', marker ? formatCount(marker.reject_count) : NONE],
      ['attempt', code(report.attempt)],
    ]),
    facts('Lineage', [
      ['manifest sha256', code(report.manifest_sha256)],
      ['input epoch', code(report.lineage.input_epoch)],
      ['opening version', code(report.lineage.opening_version)],
      ['supersedes', code(report.lineage.supersedes)],
    ]),
    facts(
      'Policy',
      Object.entries(report.policy).map(([name, value]) => [name, String(value)]),
    ),
  ];
  return section('overview', 'Overview', [
    glance(input),
    html`<div class="fact-grid">${grid}</div>`,
  ]);
}

/** The few numbers a reader checks first. */
function glance(input: RunReportInput): Markup {
  const { report } = input;
  const incomplete = report.shards.filter((s) => s.incomplete.length > 0).length;
  const outcomes = input.assertions.map(assertionOutcome);
  const tally = (['fail', 'warn', 'pass'] as const).flatMap((o) => {
    const n = outcomes.filter((x) => x === o).length;
    return n === 0 ? [] : [html` ${outcomeBadge(o)} ${n}`];
  });
  const rejected = Object.values(report.rejects.by_reason).reduce((a, b) => a + b, 0);
  const seconds = Object.values(report.stage_seconds).reduce((a, b) => a + b, 0);
  return html`<ul class="glance">
    <li>
      <a href="#shards"
        ><strong>${incomplete}</strong> of ${report.shards.length} shards incomplete</a
      >
    </li>
    <li>
      <a href="#assertions">assertions:${tally}</a>
    </li>
    <li>
      <a href="#rejects"
        ><strong>${formatCount(rejected)}</strong> rows rejected for
        ${Object.keys(report.rejects.by_reason).length} reasons</a
      >
    </li>
    <li>
      <a href="#timeline"
        ><strong>${report.timeline.length}</strong> tasks ran, ${report.tasks_reused} reused,
        ${formatSeconds(seconds)} of stages</a
      >
    </li>
  </ul>`;
}
