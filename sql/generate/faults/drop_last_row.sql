-- short_segment: one row fewer than the index's row_count.
DELETE FROM seg WHERE seq = (SELECT max(seq) FROM seg);
