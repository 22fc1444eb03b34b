-- The seq fingerprint a complete segment must have: the same hash sum over first_seq..last_seq.
-- Params: $first, $last. Grain: one row.
SELECT coalesce(sum(hash(seq)::HUGEINT), 0) AS seq_fingerprint
FROM range($first::BIGINT, $last::BIGINT + 1) t(seq);
