import type { RunReport } from '../contract/run-report.js';
import { section, table } from './blocks.js';
import { formatCount, formatSeconds, plural } from './format.js';
import { html, type Markup } from './markup.js';
import { partitionsSvg } from './partitions.js';
import { STAGE_LABELS, TASK_STAGES, taskStage } from './task-stage.js';
import { timelineSvg } from './timeline.js';

/** When every task ran and on which worker, as a chart and as a table. */
export function timelineSection(report: RunReport): Markup {
  const reused =
    report.tasks_reused === 0
      ? ''
      : html`<p>
          ${formatCount(report.tasks_reused)} tasks were reused from an earlier attempt of this
          manifest and are not shown.
        </p>`;
  if (report.timeline.length === 0)
    return section('timeline', 'Task timeline', [
      html`<p>No task ran in this attempt.</p>`,
      reused,
    ]);
  const stages = TASK_STAGES.filter((s) => report.timeline.some((t) => taskStage(t.task) === s));
  return section('timeline', 'Task timeline', [
    html`<ul class="legend" aria-label="stage colours">
      ${stages.map((s) => html`<li><span class="swatch stage-${s}"></span>${STAGE_LABELS[s]}</li>`)}
    </ul>`,
    html`<div class="scroll">${timelineSvg(report.timeline)}</div>`,
    reused,
    table({
      id: 'tasks-table',
      caption: `${report.timeline.length} tasks that ran in attempt ${report.attempt}`,
      columns: [
        { label: 'task' },
        { label: 'stage' },
        { label: 'worker' },
        { label: 'started (UTC)' },
        { label: 'ended (UTC)' },
        { label: 'seconds', numeric: true },
      ],
      rows: report.timeline.map((t) => ({
        cells: [
          html`<code>${t.task}</code>`,
          STAGE_LABELS[taskStage(t.task)],
          t.worker,
          t.started_at,
          t.ended_at,
          t.seconds.toFixed(3),
        ],
      })),
    }),
  ]);
}

/** Wall-clock seconds per pipeline stage. */
export function stagesSection(report: RunReport): Markup {
  const stages = Object.entries(report.stage_seconds);
  const total = stages.reduce((sum, [, s]) => sum + s, 0);
  return section(
    'stages',
    'Stage seconds',
    table({
      id: 'stages-table',
      caption: `Wall-clock time per stage, ${formatSeconds(total)} in all`,
      columns: [
        { label: 'stage' },
        { label: 'seconds', numeric: true },
        { label: 'share', numeric: true },
      ],
      rows: stages.map(([stage, seconds]) => ({
        cells: [
          stage,
          seconds.toFixed(3),
          total > 0 ? `${((seconds / total) * 100).toFixed(0)} %` : '',
        ],
      })),
      foot: { cells: ['total', total.toFixed(3), ''] },
    }),
  );
}

/** Shuffled rows (per-key sums and customer tuples) per reduce partition: how evenly the work spread. */
export function reduceSection(report: RunReport): Markup {
  const { reduce } = report;
  return section('reduce', 'Reduce partitions', [
    html`<p>
      ${plural(reduce.partitions, 'partition')}, each merchant's customers salted over
      ${plural(reduce.salts, 'partition')}; bars are the rows (per-key sums and customer tuples)
      shuffled to each partition; the largest holds ${reduce.max_over_mean.toFixed(2)} times the
      mean.
    </p>`,
    reduce.partition_rows.length === 0
      ? html`<p>No partition sizes recorded.</p>`
      : html`<div class="scroll">${partitionsSvg(reduce)}</div>`,
  ]);
}
