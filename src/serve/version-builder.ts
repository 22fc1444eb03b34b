import duckdb from '@duckdb/node-bindings';
import type { SuccessMarker } from '../warehouse/versions.js';
import { compareBytes } from './bytes.js';
import type { IntWidth } from './int-column.js';
import type { VersionData } from './version-data.js';

/** DuckDB's string_t: 16 bytes, a uint32 length, then the bytes inline up to 12, else a pointer. */
const STRING_T = 16;
const INLINE = 12;

/**
 * Fills a VersionData from the data chunks of version_rows.sql. Fixed-width columns are copied as
 * bytes straight out of DuckDB's vectors (no per-value conversion); merchant ids are compared as
 * bytes with the previous row, which both finds merchant boundaries and checks that the rows are
 * in dataset order (a version out of order would make binary search answer wrongly).
 */
export class VersionBuilder {
  private rows = 0;
  private merchants = 0;
  private used = 0;
  private merchantBytes: Uint8Array;
  private readonly merchantStart: Uint32Array;
  private readonly merchantFirstRow: Uint32Array;
  private readonly rowCurrency: Uint16Array;
  private readonly rowReason: Uint32Array;
  private readonly flags: Uint8Array;
  private readonly numbers;
  /** Byte views of the fixed-width columns, in select order after merchant_id. */
  private readonly targets: Array<{ bytes: Uint8Array; width: number }>;

  constructor(
    private readonly capacity: number,
    widths: readonly IntWidth[],
  ) {
    this.merchantBytes = new Uint8Array(Math.max(64, capacity * 8));
    this.merchantStart = new Uint32Array(capacity + 1);
    this.merchantFirstRow = new Uint32Array(capacity + 1);
    this.rowCurrency = new Uint16Array(capacity);
    this.rowReason = new Uint32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.numbers = widths.map((w) => w.make(capacity));
    const bytesOf = (a: ArrayBufferView): Uint8Array =>
      new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    this.targets = [
      { bytes: bytesOf(this.rowCurrency), width: 2 },
      { bytes: bytesOf(this.rowReason), width: 4 },
      { bytes: bytesOf(this.flags), width: 1 },
      ...this.numbers.map((a, i) => ({ bytes: bytesOf(a), width: widths[i]?.bytes ?? 8 })),
    ];
  }

  /** Appends one data chunk of version_rows.sql. */
  append(chunk: duckdb.DataChunk): void {
    const n = duckdb.data_chunk_get_size(chunk);
    if (this.rows + n > this.capacity)
      throw new Error(`more rows than the profile counted (${this.capacity})`);
    this.targets.forEach((target, i) => {
      const data = duckdb.vector_get_data(
        duckdb.data_chunk_get_vector(chunk, i + 1),
        n * target.width,
      );
      target.bytes.set(data, this.rows * target.width);
    });
    this.appendMerchants(
      duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk, 0), n * STRING_T),
      n,
    );
    this.rows += n;
  }

  private appendMerchants(strings: Uint8Array, n: number): void {
    const view = new DataView(strings.buffer, strings.byteOffset, strings.byteLength);
    for (let r = 0; r < n; r++) {
      const row = this.rows + r;
      const at = r * STRING_T;
      const length = view.getUint32(at, true);
      let source: Uint8Array = strings;
      let from = at + 4;
      if (length > INLINE) {
        source = duckdb.get_data_from_pointer(
          strings.buffer as ArrayBuffer,
          strings.byteOffset + at + 8,
          length,
        );
        from = 0;
      }
      const m = this.merchants - 1;
      const order =
        m < 0
          ? 1
          : compareBytes(
              source,
              from,
              from + length,
              this.merchantBytes,
              this.merchantStart[m] as number,
              this.used,
            );
      if (order > 0) {
        if (this.used + length > this.merchantBytes.length) this.growMerchantBytes(length);
        this.merchantBytes.set(source.subarray(from, from + length), this.used);
        this.merchantStart[m + 1] = this.used;
        this.merchantFirstRow[m + 1] = row;
        this.used += length;
        this.merchants += 1;
      } else if (
        order < 0 ||
        (this.rowCurrency[row] as number) <= (this.rowCurrency[row - 1] as number)
      ) {
        throw new Error(`rows are not in dataset order (merchant_id, currency) at row ${row}`);
      }
    }
  }

  private growMerchantBytes(needed: number): void {
    const grown = new Uint8Array(Math.max(2 * this.merchantBytes.length, this.used + needed));
    grown.set(this.merchantBytes.subarray(0, this.used));
    this.merchantBytes = grown;
  }

  finish(marker: SuccessMarker, currencies: string[], reasons: string[]): VersionData {
    if (this.rows !== this.capacity)
      throw new Error(`read ${this.rows} rows, the profile counted ${this.capacity}`);
    this.merchantStart[this.merchants] = this.used;
    this.merchantFirstRow[this.merchants] = this.rows;
    return {
      marker,
      rowCount: this.rows,
      merchantBytes: this.merchantBytes.subarray(0, this.used),
      merchantStart: this.merchantStart.subarray(0, this.merchants + 1),
      merchantFirstRow: this.merchantFirstRow.subarray(0, this.merchants + 1),
      merchantCount: this.merchants,
      currencies,
      rowCurrency: this.rowCurrency,
      reasons,
      rowReason: this.rowReason,
      flags: this.flags,
      numbers: this.numbers,
      indexes: new Map(),
    };
  }
}
