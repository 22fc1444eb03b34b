import type { Db } from '../db/duckdb.js';
import { invalidInput } from '../errors.js';
import { quoteString } from '../sql/fragment.js';
import { loadSql, renderSql } from '../sql/load.js';

const SHARD_ID = /^[A-Za-z0-9_-]+$/;

/** The account directory each engine holds (and its shards): loaded and checked once per engine. */
const loaded = new WeakMap<Db, { accountsPath: string; shardIds: string[] }>();

/**
 * Loads the account directory into the `accounts` table and checks it: every account listed once,
 * no NULL key column, shard ids usable as directory names. Anything else is invalid input (exit 2)
 * naming accounts.parquet, found before any ledger row is read. Returns the run's shard ids.
 */
export async function loadAccountDirectory(db: Db, accountsPath: string): Promise<string[]> {
  const held = loaded.get(db);
  if (held?.accountsPath === accountsPath) return held.shardIds;
  const fail = (problem: string, field?: string): Error =>
    invalidInput(`${accountsPath}: ${problem}`, { file: accountsPath, field });
  try {
    await db.run(
      renderSql('stages/scan/load_accounts.sql', { accounts: quoteString(accountsPath) }),
    );
  } catch (err) {
    throw fail(`cannot read account directory (${(err as Error).message.split('\n')[0]})`);
  }
  const { sound } = await db.one<{ sound: boolean }>(loadSql('stages/scan/accounts_sound.sql'));
  if (!sound) {
    const [first] = await db.all<{ account_id: string | null; problem: string }>(
      loadSql('stages/scan/account_problems.sql'),
    );
    if (first === undefined)
      throw new Error('accounts_sound.sql and account_problems.sql disagree about the directory');
    throw fail(`account ${JSON.stringify(first.account_id)} ${first.problem}`, 'account_id');
  }
  const rows = await db.all<{ shard_id: string }>(loadSql('stages/scan/account_shards.sql'));
  for (const { shard_id: id } of rows)
    if (!SHARD_ID.test(id))
      throw fail(`shard_id ${JSON.stringify(id)} is not a valid shard id`, 'shard_id');
  const shardIds = rows.map((r) => r.shard_id);
  loaded.set(db, { accountsPath, shardIds });
  return shardIds;
}
