-- One segment of one shard: entries with seq $first..$last. Every choice is a gen_draw (macros.sql)
-- of (seed, shard, seq, tag), so the same options give the same rows. On shard 00 with skew, entry
-- seq is the top merchant's iff (seq * top) // n steps up: exactly $top_entries entries, evenly
-- spread. Each entry's customer comes from its account's window (see accounts.sql).
-- Moduli are cast to UBIGINT: with an INTEGER parameter `%` becomes HUGEINT arithmetic, ~100x slower.
-- Params: $seed, $shard_no, $shard_id, $first, $last, $shard_entries, $top_entries, $top_accounts,
-- $shard_accounts, $day_start (epoch seconds of the date), $date. Tables: gen_offsets, gen_accounts.
-- Macros: gen_draw.
-- Grain: one row per entry, in seq order.
WITH seqs AS (
  SELECT $first::BIGINT + i AS seq FROM gen_offsets WHERE i <= $last::BIGINT - $first::BIGINT
),
picked AS (
  SELECT seq,
         (seq * $top_entries::BIGINT) // $shard_entries::BIGINT > ((seq - 1) * $top_entries::BIGINT) // $shard_entries::BIGINT AS is_top,
         gen_draw($seed, $shard_no, seq, 'type') % 10000 AS type_roll
  FROM seqs
),
typed AS (
  SELECT seq,
         CASE WHEN is_top THEN -1 ELSE $shard_no::BIGINT END AS grp,
         (gen_draw($seed, $shard_no, seq, 'account') % CASE WHEN is_top THEN $top_accounts ELSE $shard_accounts END::UBIGINT)::BIGINT AS idx,
         CASE
           WHEN type_roll < 6000 THEN 'charge' WHEN type_roll < 7500 THEN 'fee'
           WHEN type_roll < 8100 THEN 'refund' WHEN type_roll < 8600 THEN 'payout'
           WHEN type_roll < 8900 THEN 'hold' WHEN type_roll < 9100 THEN 'hold_release'
           WHEN type_roll < 9300 THEN 'chargeback' WHEN type_roll < 9500 THEN 'reserve'
           WHEN type_roll < 9650 THEN 'reserve_release' WHEN type_roll < 9775 THEN 'adjustment_credit'
           WHEN type_roll < 9900 THEN 'adjustment_debit' WHEN type_roll < 9950 THEN 'chargeback_reversal'
           ELSE 'payout_failed'
         END AS entry_type
  FROM picked
)
SELECT 'E-' || $shard_id || '-' || t.seq AS entry_id,
       $shard_id AS shard_id,
       t.seq,
       a.account_id,
       a.merchant_id,
       CASE WHEN t.entry_type IN ('charge', 'refund', 'chargeback', 'chargeback_reversal') THEN
         'C' || lpad((a.customer_lo + gen_draw($seed, $shard_no, t.seq, 'customer') % a.customer_span)::VARCHAR, 9, '0')
       END AS customer_ref,
       t.entry_type,
       (CASE t.entry_type WHEN 'fee' THEN 10 + gen_draw($seed, $shard_no, t.seq, 'amount') % 500
                          WHEN 'charge' THEN 100 + gen_draw($seed, $shard_no, t.seq, 'amount') % 20000
                          ELSE 100 + gen_draw($seed, $shard_no, t.seq, 'amount') % 10000 END)::BIGINT AS amount_minor,
       a.currency,
       to_timestamp($day_start::BIGINT + (gen_draw($seed, $shard_no, t.seq, 'time') % 86400)::BIGINT) AS event_time,
       $date::DATE AS settlement_date
FROM typed t
JOIN gen_accounts a ON a.grp = t.grp AND a.idx = t.idx
ORDER BY t.seq
