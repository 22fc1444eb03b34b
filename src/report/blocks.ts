import { jsonCell } from './format.js';
import { html, type Markup, type MarkupValue } from './markup.js';

export interface Column {
  label: string;
  numeric?: boolean;
}

export interface Row {
  cells: MarkupValue[];
  /** Classes of the row (e.g. a highlighted incomplete shard). */
  className?: string;
  /** `data-*` attributes, so tests and scripts can find a row without parsing its text. */
  data?: Record<string, string>;
}

export interface TableSpec {
  caption: MarkupValue;
  columns: Column[];
  rows: Row[];
  foot?: Row;
  id?: string;
  className?: string;
  /** The first cell of a row names it (`<th scope="row">`); off for rows of raw values. */
  rowHeaders?: boolean;
}

/** An accessible data table: caption, column headers, row headers, numbers right-aligned. */
export function table(spec: TableSpec): Markup {
  const rowHeaders = spec.rowHeaders ?? true;
  const numeric = (i: number): string | undefined =>
    spec.columns[i]?.numeric === true ? 'num' : undefined;
  const row = (r: Row): Markup => {
    const data = Object.entries(r.data ?? {}).map(([k, v]) => html` data-${k}="${v}"`);
    const cells = r.cells.map((cell, i) =>
      rowHeaders && i === 0
        ? html`<th scope="row">${cell}</th>`
        : html`<td${attr('class', numeric(i))}>${cell}</td>`,
    );
    return html`<tr${attr('class', r.className)}${data}>${cells}</tr>`;
  };
  return html`<div class="scroll"><table${attr('id', spec.id)}${attr('class', spec.className)}>
<caption>${spec.caption}</caption>
<thead><tr>${spec.columns.map((c, i) => html`<th scope="col" ${attr('class', numeric(i))}>${c.label}</th>`)}</tr></thead>
<tbody>${spec.rows.map(row)}</tbody>${
    spec.foot === undefined
      ? ''
      : html`<tfoot>
          ${row(spec.foot)}
        </tfoot>`
  }
</table></div>`;
}

/** ` name="value"`, or nothing when the value is undefined. */
export function attr(name: string, value: string | number | undefined): Markup {
  return value === undefined ? html`` : html` ${name}="${value}"`;
}

/** A titled section of the report; `id` is its anchor in the page's contents. */
export function section(id: string, title: string, body: MarkupValue): Markup {
  return html`<section id="${id}" aria-labelledby="${id}-title">
    <h2 id="${id}-title">${title}</h2>
    ${body}
  </section>`;
}

/** Label/value pairs as a definition list under a heading. */
export function facts(title: string, pairs: Array<[string, MarkupValue]>): Markup {
  return html`<div class="facts">
    <h3>${title}</h3>
    <dl>
      ${pairs.map(
        ([label, value]) =>
          html`<dt>${label}</dt>
            <dd>${value}</dd>`,
      )}
    </dl>
  </div>`;
}

/** JSON rows as a table whose columns are every key the rows carry, in order of appearance. */
export function rowsTable(caption: string, rows: Array<Record<string, unknown>>): Markup {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return table({
    caption,
    columns: keys.map((label) => ({ label })),
    rows: rows.map((r) => ({ cells: keys.map((k) => jsonCell(r[k])) })),
    rowHeaders: false,
    className: 'raw',
  });
}
