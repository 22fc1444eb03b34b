import type { RunReport } from '../contract/run-report.js';
import { section, table } from './blocks.js';
import { formatCount } from './format.js';
import { html, type Markup } from './markup.js';

type Shard = RunReport['shards'][number];

const COUNTS = [
  ['rows_read', 'rows read'],
  ['accepted', 'accepted'],
  ['rejected', 'rejected'],
  ['excluded', 'excluded'],
  ['duplicates_removed', 'duplicates removed'],
] as const;

/** Per shard: rows read and where they went, reject reasons, and why its books are incomplete. */
export function shardsSection(report: RunReport): Markup {
  const incomplete = report.shards.filter((s) => s.incomplete.length > 0).length;
  const sum = (key: (typeof COUNTS)[number][0]): number =>
    report.shards.reduce((n, s) => n + s[key], 0);
  return section('shards', 'Shards', [
    table({
      id: 'shards-table',
      caption: `${report.shards.length} shards, ${incomplete} with incomplete books (rows of an incomplete segment are excluded; replica lag only flags)`,
      columns: [
        { label: 'shard' },
        ...COUNTS.map(([, label]) => ({ label, numeric: true })),
        { label: 'reject reasons' },
        { label: 'books' },
      ],
      rows: report.shards.map((s) => ({
        className: s.incomplete.length > 0 ? 'incomplete' : undefined,
        data: { shard: s.shard_id },
        cells: [
          html`${s.shard_id}${s.reused ? html` <span class="note">(reused)</span>` : ''}`,
          ...COUNTS.map(([key]) => formatCount(s[key])),
          rejectReasons(s),
          books(s),
        ],
      })),
      foot: { cells: ['all shards', ...COUNTS.map(([key]) => formatCount(sum(key))), '', ''] },
    }),
    unlistedFiles(report.unlisted_files),
  ]);
}

function rejectReasons(shard: Shard): Markup | string {
  const reasons = Object.entries(shard.reject_reasons);
  if (reasons.length === 0) return '';
  return html`<ul class="plain">
    ${reasons.map(([reason, n]) => html`<li>${reason}: ${formatCount(n)}</li>`)}
  </ul>`;
}

function books(shard: Shard): Markup {
  if (shard.incomplete.length === 0) return html`complete`;
  return html`<strong class="flag">incomplete</strong>
    <ul class="plain reasons">
      ${shard.incomplete.map((r) => html`<li>${r}</li>`)}
    </ul>`;
}

function unlistedFiles(files: string[]): Markup {
  if (files.length === 0)
    return html`<p>Every file in the shard directories is listed by its index.</p>`;
  return html`<h3>Files no index lists (ignored)</h3>
    <ul class="files">
      ${files.map((f) => html`<li><code>${f}</code></li>`)}
    </ul>`;
}
