-- seq_gap: every seq from $from on moves up by one, leaving a hole at $from with the same count.
UPDATE seg SET seq = seq + 1 WHERE seq >= $from;
