/**
 * Reference implementation (test oracle) of the settlement rules in SPEC sections 2-4.
 *
 * Deliberately simple and independent of the pipeline: DuckDB is used only to read raw rows
 * (`SELECT * FROM read_parquet(...)`, one file at a time). Every rule is evaluated row by row in
 * plain TypeScript, and all money is BigInt.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export interface ReferencePolicy {
  min_charges: number;
  chargeback_ratio_bps: number;
  max_reject_ratio_bps: number;
  require_complete_books: boolean;
}

export const defaultPolicy: ReferencePolicy = {
  min_charges: 20,
  chargeback_ratio_bps: 100,
  max_reject_ratio_bps: 100,
  require_complete_books: false,
};

export interface OpeningRow {
  merchant_id: string;
  currency: string;
  available_balance: bigint;
  holds_balance: bigint;
  reserve_balance: bigint;
}

export interface ReferenceInput {
  snapshotDir: string;
  settlementDate: string;
  policy?: ReferencePolicy;
  opening?: OpeningRow[];
  isoCurrencies: Set<string>;
}

export interface ReferenceRow {
  settlement_date: string;
  merchant_id: string;
  currency: string;
  entry_count: bigint;
  charge_count: bigint;
  gross_inflow: bigint;
  refunds: bigint;
  chargeback_count: bigint;
  chargebacks_net: bigint;
  fees: bigint;
  adjustments_net: bigint;
  net_inflow: bigint;
  payouts_settled: bigint;
  failed_payout_count: bigint;
  payouts_failed: bigint;
  holds_delta: bigint;
  reserve_delta: bigint;
  available_delta: bigint;
  distinct_customers: bigint;
  available_balance: bigint;
  holds_balance: bigint;
  reserve_balance: bigint;
  rejected_entries: bigint;
  books_complete: boolean;
  incomplete_reason: string | null;
  reserve_review: boolean;
  payout_eligible: boolean;
}

export interface ReferenceReject {
  entry_id: string | null;
  seq: bigint | null;
  /** path relative to the snapshot root, forward slashes */
  file: string;
  reject_reason: string;
}

export interface ReferenceResult {
  /** sorted by merchant_id then currency, UTF-8 byte order */
  rows: ReferenceRow[];
  /** sorted by file, then seq (NULL last), then entry_id (NULL last) */
  rejects: ReferenceReject[];
  stats: {
    rows_read: bigint;
    accepted: bigint;
    rejected: bigint;
    excluded: bigint;
    duplicates_removed: bigint;
  };
  /** one entry per shard named by the account directory; reasons are items like `missing_segment:03` */
  shards: Record<string, { complete: boolean; reasons: string[] }>;
  /** the same counts per shard (rows of an incomplete segment all count as excluded) */
  shardStats: Record<string, ReferenceResult['stats']>;
  /** entry_ids present in more than one complete segment (any shard), distinct, byte-order sorted */
  duplicateEntryIdsAcrossSegments: string[];
  rejectRatioFails: boolean;
  /** files under a run shard's date directory that its index does not list (relative, byte-order sorted) */
  unlistedFiles: string[];
}

export const ENTRY_TYPES: readonly string[] = [
  'charge',
  'refund',
  'chargeback',
  'chargeback_reversal',
  'fee',
  'payout',
  'payout_failed',
  'hold',
  'hold_release',
  'reserve',
  'reserve_release',
  'adjustment_credit',
  'adjustment_debit',
];

/** Byte-order (UTF-8) comparison, the collation DuckDB uses by default. */
export function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Reads `<repo>/sql/reference/iso4217.csv` (header `code,exponent`). Returns an EMPTY set when the
 * file does not exist, so callers can fall back to a hard-coded list.
 */
export async function loadIsoCurrencies(): Promise<Set<string>> {
  const file = path.join(repoRoot, 'sql', 'reference', 'iso4217.csv');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw err;
  }
  const codes = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (i === 0) return; // header
    const code = (line.split(',')[0] ?? '').trim();
    if (code !== '') codes.add(code);
  });
  return codes;
}

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

interface Account {
  account_id: string;
  merchant_id: string;
  shard_id: string;
  currency: string;
}

interface IndexSegment {
  file: string;
  first_seq: bigint;
  last_seq: bigint;
  row_count: bigint;
}

interface ParsedIndex {
  watermarkMs: number;
  segments: IndexSegment[];
}

interface Entry {
  entry_id: string | null;
  shard_id: string | null;
  seq: bigint | null;
  account_id: string | null;
  merchant_id: string | null;
  customer_ref: string | null;
  entry_type: string | null;
  /** undefined = present but not an integer (treated as bad_amount) */
  amount_minor: bigint | null | undefined;
  currency: string | null;
  settlement_date: string | null;
}

interface FileRows {
  rawCount: number;
  /** exact-duplicate rows removed, first occurrence kept */
  rows: Entry[];
}

interface Sums {
  entry_count: bigint;
  charge_count: bigint;
  gross_inflow: bigint;
  refunds: bigint;
  chargeback_count: bigint;
  chargeback_sum: bigint;
  chargeback_reversal_sum: bigint;
  fees: bigint;
  adjustment_credit_sum: bigint;
  adjustment_debit_sum: bigint;
  payouts_settled: bigint;
  failed_payout_count: bigint;
  payouts_failed: bigint;
  hold_sum: bigint;
  hold_release_sum: bigint;
  reserve_sum: bigint;
  reserve_release_sum: bigint;
  customers: Set<string>;
  rejected_entries: bigint;
}

function emptySums(): Sums {
  return {
    entry_count: 0n,
    charge_count: 0n,
    gross_inflow: 0n,
    refunds: 0n,
    chargeback_count: 0n,
    chargeback_sum: 0n,
    chargeback_reversal_sum: 0n,
    fees: 0n,
    adjustment_credit_sum: 0n,
    adjustment_debit_sum: 0n,
    payouts_settled: 0n,
    failed_payout_count: 0n,
    payouts_failed: 0n,
    hold_sum: 0n,
    hold_release_sum: 0n,
    reserve_sum: 0n,
    reserve_release_sum: 0n,
    customers: new Set(),
    rejected_entries: 0n,
  };
}

const pairKey = (merchant: string, currency: string): string =>
  JSON.stringify([merchant, currency]);

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function toPosixRel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

function asString(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  return String(v);
}

function asBigInt(v: unknown): bigint | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : undefined;
  return undefined;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Normalises a DATE-ish JS value to 'YYYY-MM-DD' (UTC). */
export function normaliseDate(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null;
    return `${pad(v.getUTCFullYear(), 4)}-${pad(v.getUTCMonth() + 1, 2)}-${pad(v.getUTCDate(), 2)}`;
  }
  if (typeof v === 'string') {
    const m = /^(\d{4}-\d{2}-\d{2})/.exec(v);
    return m?.[1] ?? v;
  }
  if (typeof v === 'object' && v !== null && 'days' in v) {
    const days = Number((v as { days: unknown }).days);
    return normaliseDate(new Date(days * 86_400_000));
  }
  return String(v);
}

/** Canonical text of one raw DuckDB value (full precision: timestamps keep their microseconds). */
function canonicalValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  return [typeof v, String(v)];
}

async function readParquetRows(
  conn: DuckDBConnection,
  abs: string,
  rel: string,
): Promise<FileRows> {
  let result;
  try {
    result = await conn.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(abs)})`);
  } catch (err) {
    throw new Error(
      `reference: cannot read listed file ${rel} as Parquet: ${(err as Error).message}`,
    );
  }
  const names = result.columnNames();
  const raw = result.getRowObjects(); // DuckDB values: used for the exact-duplicate canonical form
  const js = result.getRowObjectsJS(); // JS values: used for the rules
  const seen = new Set<string>();
  const rows: Entry[] = [];
  for (let i = 0; i < js.length; i++) {
    const r = raw[i]!;
    const canonical = JSON.stringify(names.map((n) => [n, canonicalValue(r[n])]));
    if (seen.has(canonical)) continue;
    seen.add(canonical);
    const j = js[i]!;
    rows.push({
      entry_id: asString(j['entry_id']),
      shard_id: asString(j['shard_id']),
      seq: asBigInt(j['seq']) ?? null,
      account_id: asString(j['account_id']),
      merchant_id: asString(j['merchant_id']),
      customer_ref: asString(j['customer_ref']),
      entry_type: asString(j['entry_type']),
      amount_minor: asBigInt(j['amount_minor']),
      currency: asString(j['currency']),
      settlement_date: normaliseDate(j['settlement_date']),
    });
  }
  return { rawCount: js.length, rows };
}

/**
 * ISO 8601 date-time WITH an explicit offset (Z or ±hh:mm / ±hhmm / ±hh) → epoch ms (fraction
 * beyond ms truncated, which cannot change a comparison against a whole-ms cutoff). null if invalid.
 */
export function parseIsoWithOffset(s: string): number | null {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/.exec(
      s,
    );
  if (m === null) return null;
  const [, y, mo, d, h, mi, sec, frac, off] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = sec === undefined ? 0 : Number(sec);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  let offsetMin = 0;
  if (off !== undefined && off !== 'Z') {
    const sign = off.startsWith('-') ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return null;
    offsetMin = sign * (oh * 60 + om);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
}

function indexInteger(v: unknown): bigint | null {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) return null;
  return BigInt(v);
}

/** Parses and schema-checks an index. null = "cannot be parsed". */
function parseIndex(text: string, shard: string, date: string): ParsedIndex | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  const o = doc as Record<string, unknown>;
  if (o['shard_id'] !== shard) return null;
  if (o['settlement_date'] !== date) return null;
  const wm = o['replica_high_watermark'];
  if (typeof wm !== 'string') return null;
  const watermarkMs = parseIsoWithOffset(wm);
  if (watermarkMs === null) return null;
  const segs = o['segments'];
  if (!Array.isArray(segs)) return null;
  const segments: IndexSegment[] = [];
  for (const s of segs as unknown[]) {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) return null;
    const so = s as Record<string, unknown>;
    const file = so['file'];
    const first = indexInteger(so['first_seq']);
    const last = indexInteger(so['last_seq']);
    const count = indexInteger(so['row_count']);
    if (
      typeof file !== 'string' ||
      file === '' ||
      first === null ||
      last === null ||
      count === null
    )
      return null;
    if (last < first || count < 0n) return null;
    segments.push({ file, first_seq: first, last_seq: last, row_count: count });
  }
  return { watermarkMs, segments };
}

/** Segment completeness after exact-duplicate removal (SPEC section 3). */
function segmentComplete(seg: IndexSegment, rows: Entry[]): boolean {
  if (BigInt(rows.length) !== seg.row_count) return false;
  if (seg.last_seq - seg.first_seq + 1n !== seg.row_count) return false;
  const seqs = new Set<bigint>();
  const ids = new Set<string>();
  for (const r of rows) {
    if (r.seq === null || r.seq < seg.first_seq || r.seq > seg.last_seq) return false;
    if (seqs.has(r.seq)) return false;
    seqs.add(r.seq);
    if (r.entry_id !== null) {
      if (ids.has(r.entry_id)) return false;
      ids.add(r.entry_id);
    }
  }
  // distinct seqs, all inside first..last, and as many as the range has → cover it exactly
  return true;
}

async function listFilesRecursive(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) out.push(...(await listFilesRecursive(p)));
    else out.push(p);
  }
  return out;
}

function rejectReason(
  e: Entry,
  directory: Map<string, Account>,
  date: string,
  iso: Set<string>,
): string | null {
  if (e.entry_type === null || !ENTRY_TYPES.includes(e.entry_type)) return 'unknown_entry_type';
  if (e.amount_minor === null || e.amount_minor === undefined || e.amount_minor <= 0n)
    return 'bad_amount';
  if (e.currency === null || e.currency === '' || !iso.has(e.currency)) return 'bad_currency';
  if (
    e.merchant_id === null ||
    e.merchant_id === '' ||
    e.account_id === null ||
    e.account_id === ''
  )
    return 'missing_key';
  const acct = directory.get(e.account_id);
  if (acct === undefined) return 'unknown_account';
  if (
    acct.merchant_id !== e.merchant_id ||
    acct.shard_id !== e.shard_id ||
    acct.currency !== e.currency
  )
    return 'directory_mismatch';
  if (e.settlement_date === null || e.settlement_date !== date) return 'out_of_window';
  if (e.entry_type === 'charge' && (e.customer_ref === null || e.customer_ref === ''))
    return 'missing_customer_ref';
  // duplicate_entry_id applies only to correction entries; the reference has no corrections.
  return null;
}

function addAccepted(s: Sums, e: Entry): void {
  const a = e.amount_minor as bigint;
  s.entry_count += 1n;
  switch (e.entry_type) {
    case 'charge':
      s.charge_count += 1n;
      s.gross_inflow += a;
      s.customers.add(e.customer_ref as string);
      break;
    case 'refund':
      s.refunds += a;
      break;
    case 'chargeback':
      s.chargeback_count += 1n;
      s.chargeback_sum += a;
      break;
    case 'chargeback_reversal':
      s.chargeback_reversal_sum += a;
      break;
    case 'fee':
      s.fees += a;
      break;
    case 'payout':
      s.payouts_settled += a;
      break;
    case 'payout_failed':
      s.failed_payout_count += 1n;
      s.payouts_failed += a;
      break;
    case 'hold':
      s.hold_sum += a;
      break;
    case 'hold_release':
      s.hold_release_sum += a;
      break;
    case 'reserve':
      s.reserve_sum += a;
      break;
    case 'reserve_release':
      s.reserve_release_sum += a;
      break;
    case 'adjustment_credit':
      s.adjustment_credit_sum += a;
      break;
    case 'adjustment_debit':
      s.adjustment_debit_sum += a;
      break;
    default:
      throw new Error(`reference: unreachable entry type ${String(e.entry_type)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

export async function computeReference(input: ReferenceInput): Promise<ReferenceResult> {
  const root = path.resolve(input.snapshotDir);
  const date = input.settlementDate;
  const policy = input.policy ?? defaultPolicy;
  const iso = input.isoCurrencies;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`reference: bad settlementDate ${date}`);
  const cutoffMs = Date.parse(`${date}T00:00:00Z`) + 86_400_000;

  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    // ---- account directory --------------------------------------------------------------------
    const accountsFile = path.join(root, 'accounts.parquet');
    const acctRows = (
      await conn.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(accountsFile)})`)
    ).getRowObjectsJS();
    const directory = new Map<string, Account>();
    for (const r of acctRows) {
      const a: Account = {
        account_id: asString(r['account_id']) ?? '',
        merchant_id: asString(r['merchant_id']) ?? '',
        shard_id: asString(r['shard_id']) ?? '',
        currency: asString(r['currency']) ?? '',
      };
      if (a.account_id === '' || a.merchant_id === '' || a.shard_id === '' || a.currency === '') {
        throw new Error(
          `reference: accounts.parquet has a row with a NULL or empty column: ${JSON.stringify(a)}`,
        );
      }
      const prev = directory.get(a.account_id);
      if (prev !== undefined && JSON.stringify(prev) !== JSON.stringify(a)) {
        throw new Error(
          `reference: account ${a.account_id} appears twice in accounts.parquet with different values`,
        );
      }
      directory.set(a.account_id, a);
    }
    const shardIds = [...new Set([...directory.values()].map((a) => a.shard_id))].sort(byteCompare);

    // ---- shard scan ---------------------------------------------------------------------------
    const stats = {
      rows_read: 0n,
      accepted: 0n,
      rejected: 0n,
      excluded: 0n,
      duplicates_removed: 0n,
    };
    const shards: Record<string, { complete: boolean; reasons: string[] }> = {};
    const unlisted: string[] = [];
    const rejects: ReferenceReject[] = [];
    const sums = new Map<string, Sums>();
    const sumsFor = (m: string, c: string): Sums => {
      const k = pairKey(m, c);
      let s = sums.get(k);
      if (s === undefined) {
        s = emptySums();
        sums.set(k, s);
      }
      return s;
    };
    /** entry_id → set of complete-segment identities (file paths) it appears in */
    const entryIdSegments = new Map<string, Set<string>>();

    const shardStats: ReferenceResult['shardStats'] = {};
    for (const shard of shardIds) {
      const own = {
        rows_read: 0n,
        accepted: 0n,
        rejected: 0n,
        excluded: 0n,
        duplicates_removed: 0n,
      };
      shardStats[shard] = own;
      const count = (key: keyof typeof own, n: bigint): void => {
        stats[key] += n;
        own[key] += n;
      };
      const reasons = new Set<string>();
      const dateDir = path.join(root, `shard=${shard}`, `date=${date}`);
      const indexPath = path.join(dateDir, '_segments.json');
      let index: ParsedIndex | null = null;
      let indexText: string | null = null;
      try {
        indexText = await readFile(indexPath, 'utf8');
      } catch {
        indexText = null;
      }
      if (indexText !== null) index = parseIndex(indexText, shard, date);

      const listed = new Set<string>();
      if (index === null) {
        reasons.add(`missing_segment:${shard}`);
      } else {
        if (index.watermarkMs < cutoffMs) reasons.add(`replica_lag:${shard}`);
        // index shape: sorted by first_seq, no overlap (else all excluded); gaps flag only
        let indexValid = true;
        for (let i = 1; i < index.segments.length; i++) {
          const prev = index.segments[i - 1]!;
          const cur = index.segments[i]!;
          if (cur.first_seq < prev.first_seq || cur.first_seq <= prev.last_seq) indexValid = false;
          else if (cur.first_seq > prev.last_seq + 1n) reasons.add(`missing_segment:${shard}`);
        }
        if (!indexValid) reasons.add(`missing_segment:${shard}`);

        // An unsorted or overlapping index excludes the whole shard without reading its files
        // (they count as unlisted), like an index that does not parse (README decision).
        for (const seg of indexValid ? index.segments : []) {
          const abs = path.resolve(dateDir, seg.file);
          const rel = toPosixRel(root, abs);
          listed.add(abs);
          if (!(await isFile(abs))) {
            reasons.add(`missing_segment:${shard}`);
            continue;
          }
          const fr = await readParquetRows(conn, abs, rel);
          count('rows_read', BigInt(fr.rawCount));
          const complete = indexValid && segmentComplete(seg, fr.rows);
          if (!complete) {
            reasons.add(`missing_segment:${shard}`);
            count('excluded', BigInt(fr.rawCount));
            continue;
          }
          count('duplicates_removed', BigInt(fr.rawCount - fr.rows.length));
          for (const e of fr.rows) {
            if (e.entry_id !== null) {
              let segsOf = entryIdSegments.get(e.entry_id);
              if (segsOf === undefined) {
                segsOf = new Set();
                entryIdSegments.set(e.entry_id, segsOf);
              }
              segsOf.add(rel);
            }
            const reason = rejectReason(e, directory, date, iso);
            if (reason !== null) {
              count('rejected', 1n);
              rejects.push({ entry_id: e.entry_id, seq: e.seq, file: rel, reject_reason: reason });
              if (e.merchant_id !== null && e.currency !== null) {
                sumsFor(e.merchant_id, e.currency).rejected_entries += 1n;
              }
            } else {
              count('accepted', 1n);
              addAccepted(sumsFor(e.merchant_id as string, e.currency as string), e);
            }
          }
        }
      }

      // files in the shard's date directory that the index does not list
      if (await isDir(dateDir)) {
        for (const f of await listFilesRecursive(dateDir)) {
          if (f === indexPath || listed.has(f)) continue;
          unlisted.push(toPosixRel(root, f));
        }
      }

      const reasonList = [...reasons].sort(byteCompare);
      shards[shard] = { complete: reasonList.length === 0, reasons: reasonList };
    }

    // ---- output rows --------------------------------------------------------------------------
    const opening = new Map<string, OpeningRow>();
    for (const o of input.opening ?? []) {
      const k = pairKey(o.merchant_id, o.currency);
      if (opening.has(k))
        throw new Error(`reference: opening has ${o.merchant_id}/${o.currency} twice`);
      opening.set(k, o);
    }
    const pairs = new Map<string, { merchant_id: string; currency: string }>();
    for (const a of directory.values())
      pairs.set(pairKey(a.merchant_id, a.currency), {
        merchant_id: a.merchant_id,
        currency: a.currency,
      });
    for (const o of opening.values())
      pairs.set(pairKey(o.merchant_id, o.currency), {
        merchant_id: o.merchant_id,
        currency: o.currency,
      });

    // merchant → reasons of the incomplete shards its directory accounts live on
    const merchantReasons = new Map<string, Set<string>>();
    for (const a of directory.values()) {
      let set = merchantReasons.get(a.merchant_id);
      if (set === undefined) {
        set = new Set();
        merchantReasons.set(a.merchant_id, set);
      }
      for (const r of shards[a.shard_id]?.reasons ?? []) set.add(r);
    }

    const rows: ReferenceRow[] = [];
    for (const p of pairs.values()) {
      const s = sums.get(pairKey(p.merchant_id, p.currency)) ?? emptySums();
      const o = opening.get(pairKey(p.merchant_id, p.currency));
      const chargebacks_net = s.chargeback_sum - s.chargeback_reversal_sum;
      const adjustments_net = s.adjustment_credit_sum - s.adjustment_debit_sum;
      const net_inflow = s.gross_inflow - s.refunds - chargebacks_net - s.fees + adjustments_net;
      const holds_delta = s.hold_sum - s.hold_release_sum;
      const reserve_delta = s.reserve_sum - s.reserve_release_sum;
      const available_delta =
        net_inflow - s.payouts_settled + s.payouts_failed - holds_delta - reserve_delta;
      const available_balance = (o?.available_balance ?? 0n) + available_delta;
      const reasonItems = [...(merchantReasons.get(p.merchant_id) ?? new Set<string>())].sort(
        byteCompare,
      );
      const books_complete = reasonItems.length === 0;
      const reserve_review =
        s.charge_count >= BigInt(policy.min_charges) &&
        s.chargeback_count * 10000n > s.charge_count * BigInt(policy.chargeback_ratio_bps);
      rows.push({
        settlement_date: date,
        merchant_id: p.merchant_id,
        currency: p.currency,
        entry_count: s.entry_count,
        charge_count: s.charge_count,
        gross_inflow: s.gross_inflow,
        refunds: s.refunds,
        chargeback_count: s.chargeback_count,
        chargebacks_net,
        fees: s.fees,
        adjustments_net,
        net_inflow,
        payouts_settled: s.payouts_settled,
        failed_payout_count: s.failed_payout_count,
        payouts_failed: s.payouts_failed,
        holds_delta,
        reserve_delta,
        available_delta,
        distinct_customers: BigInt(s.customers.size),
        available_balance,
        holds_balance: (o?.holds_balance ?? 0n) + holds_delta,
        reserve_balance: (o?.reserve_balance ?? 0n) + reserve_delta,
        rejected_entries: s.rejected_entries,
        books_complete,
        incomplete_reason: books_complete ? null : reasonItems.join(';'),
        reserve_review,
        payout_eligible: books_complete && !reserve_review && available_balance > 0n,
      });
    }
    rows.sort(
      (a, b) => byteCompare(a.merchant_id, b.merchant_id) || byteCompare(a.currency, b.currency),
    );

    rejects.sort((a, b) => {
      const f = byteCompare(a.file, b.file);
      if (f !== 0) return f;
      if (a.seq !== b.seq) {
        if (a.seq === null) return 1;
        if (b.seq === null) return -1;
        return a.seq < b.seq ? -1 : 1;
      }
      if (a.entry_id === b.entry_id) return 0;
      if (a.entry_id === null) return 1;
      if (b.entry_id === null) return -1;
      return byteCompare(a.entry_id, b.entry_id);
    });

    const duplicateEntryIdsAcrossSegments = [...entryIdSegments.entries()]
      .filter(([, segs]) => segs.size > 1)
      .map(([id]) => id)
      .sort(byteCompare);

    const rejectRatioFails =
      stats.rejected * 10000n >
      (stats.accepted + stats.rejected) * BigInt(policy.max_reject_ratio_bps);

    return {
      rows,
      rejects,
      stats,
      shards,
      shardStats,
      duplicateEntryIdsAcrossSegments,
      rejectRatioFails,
      unlistedFiles: unlisted.sort(byteCompare),
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
