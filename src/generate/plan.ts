import type { Db } from '../db/duckdb.js';
import { loadSql } from '../sql/load.js';
import type { GenerateOptions } from './types.js';

export interface CustomerPools {
  /** The top merchant M000000 is its own group (skew > 0 and more than one merchant). */
  skewed: boolean;
  topCustomers: number;
  otherCustomers: number;
}

export interface ShardPlan {
  shardNo: number;
  shardId: string;
  entries: number;
  /** Entries of the top merchant (only on shard 00). */
  topEntries: number;
  /** Accounts of the shard's ordinary group (the top merchant's are counted in topAccounts). */
  accounts: number;
}

export interface SnapshotPlan {
  topAccounts: number;
  shards: ShardPlan[];
}

/** The top merchant's pool holds share `skew` of all customer refs; the others share the rest. */
export function customerPools(options: GenerateOptions): CustomerPools {
  const skewed = options.skew > 0 && options.merchants > 1;
  const customers = Math.max(skewed ? 2 : 1, options.customers ?? Math.floor(options.entries / 20));
  const topCustomers = skewed
    ? Math.min(customers - 1, Math.max(1, Math.round(customers * options.skew)))
    : 0;
  return { skewed, topCustomers, otherCustomers: customers - topCustomers };
}

/**
 * Entries per shard: the top merchant's share on shard 00, the rest spread over shards in
 * proportion to the ordinary accounts homed there (so every account expects the same load). The
 * rounding remainder goes one by one to shards that have accounts, in shard order.
 */
export async function planShards(
  db: Db,
  options: GenerateOptions,
  pools: CustomerPools,
): Promise<SnapshotPlan> {
  const groups = await db.all<{ grp: bigint; accounts: bigint }>(
    loadSql('generate/shard_plan.sql'),
  );
  const accountsOf = (grp: number): number =>
    Number(groups.find((g) => Number(g.grp) === grp)?.accounts ?? 0n);
  const topEntries = pools.skewed ? Math.round(options.entries * options.skew) : 0;
  const otherEntries = options.entries - topEntries;
  const shards: ShardPlan[] = Array.from({ length: options.shards }, (_, shardNo) => ({
    shardNo,
    shardId: String(shardNo).padStart(2, '0'),
    entries: shardNo === 0 ? topEntries : 0,
    topEntries: shardNo === 0 ? topEntries : 0,
    accounts: accountsOf(shardNo),
  }));
  const otherAccounts = shards.reduce((sum, s) => sum + s.accounts, 0);
  let remainder = otherEntries;
  for (const shard of shards) {
    const share = Math.floor((otherEntries * shard.accounts) / otherAccounts);
    shard.entries += share;
    remainder -= share;
  }
  for (const shard of shards.filter((s) => s.accounts > 0)) {
    if (remainder === 0) break;
    shard.entries += 1;
    remainder -= 1;
  }
  return { topAccounts: accountsOf(-1), shards };
}
