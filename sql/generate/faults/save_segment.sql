-- The faulted segment, in seq order (ties in a stable order) for byte-stable output.
-- Tables: seg. Grain: one row per entry.
SELECT * FROM seg ORDER BY seq, entry_id, amount_minor
