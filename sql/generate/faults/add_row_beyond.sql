-- long_segment: an extra row past last_seq, with a fresh entry_id.
INSERT INTO seg
SELECT * REPLACE (seq + 1 AS seq, entry_id || '-extra' AS entry_id)
FROM seg
WHERE seq = (SELECT max(seq) FROM seg);
