import type { TaskTiming } from '../contract/run-report.js';
import { CHART_WIDTH, round, ticks } from './chart.js';
import { formatSeconds } from './format.js';
import { html, type Markup } from './markup.js';
import { STAGE_LABELS, taskStage } from './task-stage.js';

const LABEL_WIDTH = 180;
const RIGHT = 24;
const ROW_HEIGHT = 26;
const BAR_HEIGHT = 18;
const AXIS_HEIGHT = 34;
const PLOT_WIDTH = CHART_WIDTH - LABEL_WIDTH - RIGHT;
/** Roughly the width of a character of the bar labels (12px monospace), to label only bars that fit. */
const CHAR_WIDTH = 7.3;

interface PlacedTask {
  task: TaskTiming;
  start: number;
  end: number;
  row: number;
}

interface Lane {
  worker: string;
  firstRow: number;
  rows: number;
}

/**
 * Tasks placed on rows: one lane per worker, and within a lane as many rows as the worker ran
 * tasks at once (so concurrent tasks of one worker never hide each other). Times in seconds from
 * the first task's start.
 */
export function placeTasks(timeline: TaskTiming[]): { placed: PlacedTask[]; lanes: Lane[] } {
  const origin = Math.min(...timeline.map((t) => Date.parse(t.started_at)));
  const byWorker = new Map<string, TaskTiming[]>();
  for (const task of [...timeline].sort(
    (a, b) => Date.parse(a.started_at) - Date.parse(b.started_at),
  ))
    byWorker.set(task.worker, [...(byWorker.get(task.worker) ?? []), task]);
  const placed: PlacedTask[] = [];
  const lanes: Lane[] = [];
  let nextRow = 0;
  for (const [worker, tasks] of byWorker) {
    const rowEnds: number[] = [];
    for (const task of tasks) {
      const start = (Date.parse(task.started_at) - origin) / 1000;
      const end = Math.max(start, (Date.parse(task.ended_at) - origin) / 1000);
      let row = rowEnds.findIndex((rowEnd) => rowEnd <= start);
      if (row === -1) row = rowEnds.push(end) - 1;
      else rowEnds[row] = end;
      placed.push({ task, start, end, row: nextRow + row });
    }
    lanes.push({ worker, firstRow: nextRow, rows: rowEnds.length });
    nextRow += rowEnds.length;
  }
  return { placed, lanes };
}

/** The task timeline as inline SVG: a lane per worker, a bar per task, seconds on the x axis. */
export function timelineSvg(timeline: TaskTiming[]): Markup {
  const { placed, lanes } = placeTasks(timeline);
  const span = Math.max(0.001, ...placed.map((p) => p.end));
  const rows = lanes.reduce((n, lane) => n + lane.rows, 0);
  const plotHeight = rows * ROW_HEIGHT;
  const height = plotHeight + AXIS_HEIGHT;
  const x = (seconds: number): number => round(LABEL_WIDTH + (seconds / span) * PLOT_WIDTH);
  const axis = ticks(span, 8);
  const workers = lanes.length === 1 ? 'one worker' : `${lanes.length} workers`;

  const grid = axis.values.map(
    (t) =>
      html`<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="0" y2="${plotHeight}" />
        <text class="tick" x="${x(t)}" y="${plotHeight + 16}" text-anchor="middle"
          >${t.toFixed(axis.decimals)}</text
        >`,
  );
  const laneMarks = lanes.map((lane, i) => {
    const top = lane.firstRow * ROW_HEIGHT;
    return html`<g class="lane"
      ><title>worker ${lane.worker}</title
      >${i > 0 ? html`<line class="lane-rule" x1="0" x2="${CHART_WIDTH}" y1="${top}" y2="${top}" />` : ''}
      <text
        class="lane-label"
        x="${LABEL_WIDTH - 8}"
        y="${top + ROW_HEIGHT / 2 + 4}"
        text-anchor="end"
        >${shorten(lane.worker, 26)}</text
      ></g
    >`;
  });
  const bars = placed.map((p) => {
    const stage = taskStage(p.task.task);
    const left = x(p.start);
    const width = Math.max(2, round(x(p.end) - left));
    const top = p.row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2;
    const label = p.task.task.length * CHAR_WIDTH + 8 <= width;
    return html`<g class="task" data-task="${p.task.task}"
      ><title>
        ${p.task.task} (${STAGE_LABELS[stage]}) on ${p.task.worker}: ${p.task.started_at} to
        ${p.task.ended_at}, ${formatSeconds(p.task.seconds)}
      </title>
      <rect
        class="bar stage-${stage}"
        x="${left}"
        y="${top}"
        width="${width}"
        height="${BAR_HEIGHT}"
        rx="3"
      />${label ? html`<text class="bar-label" x="${left + 4}" y="${top + 13}">${p.task.task}</text>` : ''}</g
    >`;
  });
  return html`<svg
    id="timeline"
    class="chart"
    viewBox="0 0 ${CHART_WIDTH} ${height}"
    width="${CHART_WIDTH}"
    height="${height}"
    role="img"
    aria-labelledby="timeline-title timeline-desc"
  >
    <title id="timeline-title">Task timeline per worker</title>
    <desc id="timeline-desc">
      ${placed.length} tasks on ${workers} over ${formatSeconds(span)}; each bar runs from a task's
      start to its end, coloured by stage.
    </desc>
    ${grid}
    <text
      class="axis-label"
      x="${LABEL_WIDTH + PLOT_WIDTH / 2}"
      y="${plotHeight + 31}"
      text-anchor="middle"
    >
      seconds since the first task started
    </text>
    ${laneMarks} ${bars}
  </svg>`;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
