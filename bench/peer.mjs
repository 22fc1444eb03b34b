// The peer for the benchmark: nodejs-polars doing the same aggregation (lazy scan, one group-by).
// Copied next to its own node_modules under .bench-cache/peer by the bench; never a runtime dependency.
import pl from 'nodejs-polars';

const [snapshot, out] = process.argv.slice(2);
const type = pl.col('entry_type');
const amount = pl.col('amount_minor');
const sumOf = (t) => amount.filter(type.eq(pl.lit(t))).sum().fillNull(0).cast(pl.Int64);
const countOf = (t) => type.filter(type.eq(pl.lit(t))).count();
const result = await pl
  .scanParquet(`${snapshot}/shard=*/date=*/*.parquet`)
  .groupBy(['merchant_id', 'currency'])
  .agg(
    pl.len().alias('entry_count'),
    countOf('charge').alias('charge_count'),
    sumOf('charge').alias('gross_inflow'),
    sumOf('refund').alias('refunds'),
    countOf('chargeback').alias('chargeback_count'),
    sumOf('chargeback').minus(sumOf('chargeback_reversal')).alias('chargebacks_net'),
    sumOf('fee').alias('fees'),
    sumOf('adjustment_credit').minus(sumOf('adjustment_debit')).alias('adjustments_net'),
    sumOf('payout').alias('payouts_settled'),
    countOf('payout_failed').alias('failed_payout_count'),
    sumOf('payout_failed').alias('payouts_failed'),
    sumOf('hold').minus(sumOf('hold_release')).alias('holds_delta'),
    sumOf('reserve').minus(sumOf('reserve_release')).alias('reserve_delta'),
    pl.col('customer_ref').filter(type.eq(pl.lit('charge'))).nUnique().alias('distinct_customers'),
  )
  .sort(['merchant_id', 'currency'])
  .collect();
result.writeParquet(out);
