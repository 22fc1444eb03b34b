import { Markup } from './markup.js';

/**
 * The report's only styles, inline: system fonts (nothing to fetch), text contrast of at least
 * 4.5:1 (white bar labels sit on the 700 shades), state shown by words as well as colour, and a
 * print layout that keeps colours and drops the contents bar.
 */
export const STYLE = new Markup(`
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1240px; padding: 24px 32px 48px; color: #1f2937; background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
code, .id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.92em; overflow-wrap: anywhere; }
h1 { font-size: 1.7rem; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 2px solid #e5e7eb; }
h3 { font-size: 1rem; margin: 0.8rem 0 0.4rem; }
a { color: #1d4ed8; }
a:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.kicker { margin: 0; color: #4b5563; font-size: 0.85rem; text-transform: uppercase; letter-spacing: 0.06em; }
.status { display: inline-block; margin: 0; padding: 6px 12px; border-radius: 6px; font-weight: 600; border: 1px solid; }
.status-published { background: #dcfce7; color: #14532d; border-color: #86efac; }
.status-failed { background: #fee2e2; color: #7f1d1d; border-color: #fca5a5; }
nav.toc ul { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; padding: 8px 0; margin: 16px 0 0; border-top: 1px solid #e5e7eb; border-bottom: 1px solid #e5e7eb; }
.glance { display: flex; flex-wrap: wrap; gap: 12px; list-style: none; padding: 0; margin: 0 0 12px; }
.glance li a { display: block; padding: 8px 12px; border: 1px solid #d1d5db; border-radius: 6px; color: inherit; text-decoration: none; }
.fact-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 8px 24px; }
.facts dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
.facts dt { font-weight: 600; color: #374151; }
.facts dd { margin: 0; }
.scroll { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; font-size: 0.9rem; min-width: min(100%, 36rem); }
table.raw td { white-space: nowrap; }
caption { caption-side: top; text-align: left; font-weight: 600; color: #374151; padding: 4px 0 6px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e5e7eb; text-align: left; vertical-align: top; overflow-wrap: break-word; }
thead th { background: #f3f4f6; border-bottom: 2px solid #d1d5db; }
tfoot th, tfoot td { font-weight: 600; border-top: 2px solid #d1d5db; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; overflow-wrap: normal; }
td table { font-size: 0.8rem; min-width: 0; }
td .scroll { margin: 0; }
tr.incomplete { background: #fff7ed; }
tr.incomplete > th { border-left: 4px solid #c2410c; }
tr.outcome-fail { background: #fef2f2; }
tr.outcome-warn { background: #fffbeb; }
tr.money > th::after { content: " (major units)"; font-weight: 400; color: #4b5563; }
.flag { color: #9a3412; }
.reasons { color: #7c2d12; overflow-wrap: anywhere; min-width: 16em; }
.note, .null { color: #4b5563; font-style: italic; }
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.files { columns: 2; margin: 0; }
.badge { display: inline-block; min-width: 3.2em; padding: 0 6px; border-radius: 4px; font-weight: 700; font-size: 0.85em; text-align: center; }
.badge-pass { background: #dcfce7; color: #14532d; }
.badge-warn { background: #fef3c7; color: #78350f; }
.badge-fail { background: #b91c1c; color: #fff; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; padding: 0; margin: 4px 0; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; border-radius: 2px; vertical-align: -1px; }
svg.chart { max-width: 100%; height: auto; font: 12px ui-monospace, Menlo, Consolas, monospace; }
svg .tick, svg .axis-label { fill: #4b5563; }
svg .grid { stroke: #e5e7eb; }
svg .axis, svg .lane-rule { stroke: #9ca3af; }
svg .lane-label { fill: #1f2937; }
svg .bar-label { fill: #fff; }
svg .partition-bar { fill: #2563eb; }
svg .mean { stroke: #b91c1c; stroke-width: 1.5; stroke-dasharray: 6 4; }
svg .mean-label { fill: #b91c1c; }
.stage-scan { fill: #1d4ed8; background: #1d4ed8; }
.stage-entry_ids { fill: #0f766e; background: #0f766e; }
.stage-rescan { fill: #6d28d9; background: #6d28d9; }
.stage-corrections { fill: #b45309; background: #b45309; }
.stage-reduce { fill: #be123c; background: #be123c; }
.stage-other { fill: #4b5563; background: #4b5563; }
footer { margin-top: 32px; color: #4b5563; font-size: 0.85rem; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; }
  table { font-size: 8.5pt; }
  table.raw td { white-space: normal; }
  h2, h3, caption { break-after: avoid; }
  tr, svg { break-inside: avoid; }
}
`);
