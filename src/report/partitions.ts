import type { RunReport } from '../contract/run-report.js';
import { CHART_WIDTH, round } from './chart.js';
import { formatCount } from './format.js';
import { html, type Markup } from './markup.js';

const LEFT = 80;
const RIGHT = 90;
const TOP = 10;
const PLOT_HEIGHT = 140;
const BOTTOM = 36;
const PLOT_WIDTH = CHART_WIDTH - LEFT - RIGHT;
const MAX_X_LABELS = 32;
/** A chart of few partitions keeps slim bars, left-aligned, rather than a wall of colour. */
const MAX_BAND = 48;

/** Rows per reduce partition as an SVG bar chart with the mean marked: the skew picture. */
export function partitionsSvg(reduce: RunReport['reduce']): Markup {
  const rows = reduce.partition_rows;
  const largest = Math.max(1, ...rows);
  const mean = rows.length === 0 ? 0 : rows.reduce((a, b) => a + b, 0) / rows.length;
  const band = Math.min(MAX_BAND, PLOT_WIDTH / Math.max(1, rows.length));
  const gap = band > 6 ? band * 0.2 : 0;
  const y = (value: number): number => round(TOP + PLOT_HEIGHT - (value / largest) * PLOT_HEIGHT);
  const labelEvery = Math.ceil(rows.length / MAX_X_LABELS);
  const bars = rows.map((count, i) => {
    const left = round(LEFT + i * band + gap / 2);
    const label =
      i % labelEvery === 0 || i === rows.length - 1
        ? html`<text
            class="tick"
            x="${round(left + (band - gap) / 2)}"
            y="${TOP + PLOT_HEIGHT + 16}"
            text-anchor="middle"
            >${i}</text
          >`
        : '';
    return html`<g class="partition"
      ><title>partition ${i}: ${formatCount(count)} rows</title>
      <rect
        class="bar partition-bar"
        x="${left}"
        y="${y(count)}"
        width="${Math.max(1, round(band - gap))}"
        height="${round(TOP + PLOT_HEIGHT - y(count))}"
      />${label}</g
    >`;
  });
  const summary = `${rows.length} reduce partitions, ${reduce.salts} salts: largest ${formatCount(largest)} rows, mean ${mean.toFixed(1)}, max/mean ${reduce.max_over_mean.toFixed(2)}`;
  return html`<svg
    id="partitions"
    class="chart"
    viewBox="0 0 ${CHART_WIDTH} ${TOP + PLOT_HEIGHT + BOTTOM}"
    width="${CHART_WIDTH}"
    height="${TOP + PLOT_HEIGHT + BOTTOM}"
    role="img"
    aria-labelledby="partitions-title partitions-desc"
  >
    <title id="partitions-title">Shuffled rows per reduce partition</title>
    <desc id="partitions-desc">${summary}</desc>
    <line
      class="axis"
      x1="${LEFT}"
      x2="${LEFT + PLOT_WIDTH}"
      y1="${TOP + PLOT_HEIGHT}"
      y2="${TOP + PLOT_HEIGHT}"
    />
    <text class="tick" x="${LEFT - 8}" y="${TOP + 4}" text-anchor="end">
      ${formatCount(largest)}
    </text>
    <text class="tick" x="${LEFT - 8}" y="${TOP + PLOT_HEIGHT + 4}" text-anchor="end">0</text>
    ${bars}
    <line class="mean" x1="${LEFT}" x2="${LEFT + PLOT_WIDTH}" y1="${y(mean)}" y2="${y(mean)}" />
    <text class="mean-label" x="${LEFT + PLOT_WIDTH + 6}" y="${y(mean) + 4}">
      mean ${mean.toFixed(1)}
    </text>
    <text
      class="axis-label"
      x="${LEFT + PLOT_WIDTH / 2}"
      y="${TOP + PLOT_HEIGHT + 32}"
      text-anchor="middle"
    >
      reduce partition
    </text>
  </svg>`;
}
