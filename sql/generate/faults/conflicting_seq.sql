-- conflicting_seq: a second, different row (amount + 1) carrying the first row's seq.
-- Tables: seg (one segment). Grain: inserts one row.
INSERT INTO seg
SELECT * REPLACE (amount_minor + 1 AS amount_minor)
FROM seg
WHERE seq = (SELECT min(seq) FROM seg);
