-- long_segment: an extra row with seq last_seq + 1 and a fresh entry_id.
-- Tables: seg (one segment). Grain: inserts one row.
INSERT INTO seg
SELECT * REPLACE (seq + 1 AS seq, entry_id || '-extra' AS entry_id)
FROM seg
WHERE seq = (SELECT max(seq) FROM seg);
