-- conflicting_seq: a second, different row carrying the first row's seq.
INSERT INTO seg SELECT * REPLACE (amount_minor + 1 AS amount_minor) FROM seg WHERE seq = (SELECT min(seq) FROM seg);
