-- short_segment: one row fewer than the index's row_count.
-- Tables: seg (one segment). Grain: deletes one row.
DELETE FROM seg WHERE seq = (SELECT max(seq) FROM seg);
