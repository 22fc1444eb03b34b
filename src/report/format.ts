import { formatMinor } from '../util/money.js';
import { html, type Markup } from './markup.js';

const INTEGER = /^-?\d+$/;

/** An integer count (a number or a decimal string) with thousands separators: 12345 → "12,345". */
export function formatCount(value: number | string): string {
  const text = String(value);
  return INTEGER.test(text) ? formatMinor(text, 0) : text;
}

/** Integer minor units as exact major units; anything that is not an integer is shown as it is. */
export function formatMoney(minor: number | string, decimals: number): string {
  const text = String(minor);
  return INTEGER.test(text) ? formatMinor(text, decimals) : text;
}

/** "1 partition", "3 partitions" (counts grouped). */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

export function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(3)} s`;
}

/** A value of a JSON row (assertion sample, reject example) as table cell content. */
export function jsonCell(value: unknown): Markup {
  if (value === null || value === undefined) return html`<span class="null">NULL</span>`;
  if (value === '') return html`<span class="null">(empty)</span>`;
  return html`${typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
}
