-- A published version's rows as the dashboard server keeps them in memory, in file order (the
-- data files are written in dataset order, merchant_id then currency; the loader checks every
-- row): the merchant id, dictionary codes of currency and incomplete_reason (0 = NULL), the three
-- flags as bits (1 reserve_review, 2 books_complete, 4 payout_eligible), and every count and money
-- column cast to the narrowest integer type its range fits (exact; never floating point).
-- Params: $data (glob, as in version_profile.sql), $currencies and $reasons (the profile's
-- dictionaries). Splices: {{numbers}} `name::TYPE` per count and money column, rendered from the
-- contract and the profile's ranges. Grain: one row per (merchant_id, currency).
SELECT merchant_id,
       (list_position($currencies, currency) - 1)::USMALLINT AS currency_code,
       coalesce(list_position($reasons, incomplete_reason), 0)::UINTEGER AS reason_code,
       (reserve_review::UTINYINT + 2 * books_complete::UTINYINT
        + 4 * payout_eligible::UTINYINT)::UTINYINT AS flags,
       {{numbers}}
FROM read_parquet($data, hive_partitioning = false)
