import { describe, expect, it } from 'vitest';
import { PUBLISHED_COLUMNS, SCAN_MEASURES } from '../src/contract/columns.js';
import { ENTRY_TYPES } from '../src/contract/entry-types.js';
import { REJECT_COLUMNS } from '../src/contract/inputs.js';
import { REJECT_REASONS } from '../src/contract/reject-reasons.js';
import { withDb } from '../src/db/duckdb.js';
import { loadSql } from '../src/sql/load.js';
import { catalogSql } from '../src/warehouse/catalog.js';
import { SPEC_COLUMNS } from './util/spec-columns.js';

describe('column contract', () => {
  it('lists the SPEC section 4 columns in published order with their types', () => {
    expect(PUBLISHED_COLUMNS.map((c) => [c.name, c.type])).toEqual(SPEC_COLUMNS);
  });

  it('money columns are exactly the BIGINT amounts; counts and flags are classified apart', () => {
    const kinds = Object.fromEntries(PUBLISHED_COLUMNS.map((c) => [c.name, c.kind]));
    expect(Object.keys(kinds).filter((k) => kinds[k] === 'money')).toEqual([
      'gross_inflow',
      'refunds',
      'chargebacks_net',
      'fees',
      'adjustments_net',
      'net_inflow',
      'payouts_settled',
      'payouts_failed',
      'holds_delta',
      'reserve_delta',
      'available_delta',
      'available_balance',
      'holds_balance',
      'reserve_balance',
    ]);
    expect(Object.keys(kinds).filter((k) => kinds[k] === 'flag')).toEqual([
      'books_complete',
      'reserve_review',
      'payout_eligible',
    ]);
  });

  it('scan measures are only those some column needs, named n_/amt_ per entry type', () => {
    expect(SCAN_MEASURES.map((m) => m.name)).toEqual([
      'n_all',
      'n_charge',
      'n_chargeback',
      'n_payout_failed',
      'amt_charge',
      'amt_refund',
      'amt_chargeback',
      'amt_chargeback_reversal',
      'amt_fee',
      'amt_payout',
      'amt_payout_failed',
      'amt_hold',
      'amt_hold_release',
      'amt_reserve',
      'amt_reserve_release',
      'amt_adjustment_credit',
      'amt_adjustment_debit',
    ]);
  });

  it('the classification CASE gives exactly the contract reasons, in SPEC order', () => {
    const sql = loadSql('stages/scan/classify_macro.sql');
    const inCase = [...sql.matchAll(/THEN '([a-z_]+)'/g)].map((m) => m[1]);
    expect(inCase).toEqual([...REJECT_REASONS]);
  });

  it('entry types are the SPEC list', () => {
    expect([...ENTRY_TYPES].sort()).toEqual(
      [
        'adjustment_credit',
        'adjustment_debit',
        'charge',
        'chargeback',
        'chargeback_reversal',
        'fee',
        'hold',
        'hold_release',
        'payout',
        'payout_failed',
        'refund',
        'reserve',
        'reserve_release',
      ].sort(),
    );
  });

  it('the empty-warehouse views have every published and reject column with its type', async () => {
    const described = await withDb({}, async (db) => {
      await db.run(catalogSql([]));
      const describe = (view: string) =>
        db.all<{ column_name: string; column_type: string }>(`DESCRIBE ${view}`);
      return {
        summary: await describe('merchant_settlement_summary'),
        versions: await describe('merchant_settlement_summary_versions'),
        rejects: await describe('rejects'),
      };
    });
    const pairs = (rows: Array<{ column_name: string; column_type: string }>) =>
      rows.map((r) => [r.column_name, r.column_type]);
    expect(pairs(described.summary)).toEqual(SPEC_COLUMNS);
    expect(pairs(described.versions)).toEqual([['version', 'VARCHAR'], ...SPEC_COLUMNS]);
    expect(pairs(described.rejects)).toEqual([
      ['version', 'VARCHAR'],
      ...Object.entries(REJECT_COLUMNS),
    ]);
  });
});

describe('ISO 4217 list one (sql/reference/iso4217.csv)', () => {
  it('is read whole, exponents as given, none where the list has none', async () => {
    const { iso4217, iso4217Table } = await import('../src/contract/iso4217.js');
    const list = new Map(iso4217().map((c) => [c.code, c.exponent]));
    const lines = (await import('node:fs')).readFileSync(
      new URL('../sql/reference/iso4217.csv', import.meta.url),
      'utf8',
    );
    expect(list.size).toBe(lines.trim().split('\n').length - 1);
    expect([list.get('JPY'), list.get('USD'), list.get('BHD'), list.get('XAU')]).toEqual([
      0,
      2,
      3,
      null,
    ]);
    // The table the engine reads is the same list, row for row.
    const rows = await withDb({}, (db) =>
      db.all<{ code: string; exponent: number | null }>(
        `SELECT code, exponent FROM ${iso4217Table()}`,
      ),
    );
    expect(rows).toEqual(iso4217());
  });

  it('refuses a damaged list instead of settling against part of it', async () => {
    const { parseIso4217 } = await import('../src/contract/iso4217.js');
    expect(() => parseIso4217('code,exponent\nUSD,2\nEU R,2\n')).toThrow(/unexpected line/);
    expect(() => parseIso4217('currency,digits\nUSD,2\n')).toThrow(/header/);
  });
});
