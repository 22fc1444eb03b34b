-- The edited segment in seq order; ties (conflicting or duplicate rows) in a fixed order, so the
-- rewritten file is byte-stable.
-- Tables: seg. Grain: one row per entry.
SELECT * FROM seg ORDER BY seq, entry_id, amount_minor
