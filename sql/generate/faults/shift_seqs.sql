-- seq_gap: every seq from $from on moves up by one: a hole at $from, the same row count.
-- Params: $from. Tables: seg. Grain: updates the rows from $from on.
UPDATE seg SET seq = seq + 1 WHERE seq >= $from;
