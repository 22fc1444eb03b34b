/** Column names and DuckDB types of the input files (SPEC section 2) and of `rejects/`. */
export const LEDGER_ENTRY_COLUMNS = {
  entry_id: 'VARCHAR',
  shard_id: 'VARCHAR',
  seq: 'BIGINT',
  account_id: 'VARCHAR',
  merchant_id: 'VARCHAR',
  customer_ref: 'VARCHAR',
  entry_type: 'VARCHAR',
  amount_minor: 'BIGINT',
  currency: 'VARCHAR',
  event_time: 'TIMESTAMP WITH TIME ZONE',
  settlement_date: 'DATE',
} as const satisfies Record<string, string>;

export const ACCOUNT_COLUMNS = {
  account_id: 'VARCHAR',
  merchant_id: 'VARCHAR',
  shard_id: 'VARCHAR',
  currency: 'VARCHAR',
} as const satisfies Record<string, string>;

/** `rejects/`: every entry column, the first reason that applied, the source file (relative). */
export const REJECT_COLUMNS = {
  ...LEDGER_ENTRY_COLUMNS,
  reject_reason: 'VARCHAR',
  file: 'VARCHAR',
} as const satisfies Record<string, string>;
