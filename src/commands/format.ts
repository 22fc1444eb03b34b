/** Pure formatting of query results for the terminal and for files. */

export type Row = Record<string, string | number | boolean | null>;

/**
 * RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. NULL is an empty
 * field and the empty string is `""`, as DuckDB's CSV writer (and so `settle export`) writes them.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return text === '' || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(columns: string[], rows: Row[]): string {
  const lines = [
    columns.map(csvField).join(','),
    ...rows.map((r) => columns.map((c) => csvField(r[c] ?? null)).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** An aligned text table; NULL shows as NULL, numbers align right. */
export function toTable(columns: string[], rows: Row[]): string {
  const cell = (v: Row[string] | undefined): string =>
    v === null || v === undefined ? 'NULL' : String(v).replace(/[\r\n]/g, ' ');
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const numeric = columns.map(
    (c) =>
      rows.length > 0 &&
      rows.every(
        (r) => r[c] === null || typeof r[c] === 'number' || /^-?[\d,]+(\.\d+)?$/.test(String(r[c])),
      ),
  );
  const line = (values: string[]): string =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  const footer = `(${rows.length} row${rows.length === 1 ? '' : 's'})`;
  return [
    line(columns),
    rule,
    ...rows.map((r) => line(columns.map((c) => cell(r[c])))),
    footer,
  ].join('\n');
}
