-- exact_duplicates: the first three rows copied identically (the segment stays complete).
-- Tables: seg (one segment). Grain: inserts up to three rows.
INSERT INTO seg SELECT * FROM seg WHERE seq IN (SELECT seq FROM seg ORDER BY seq LIMIT 3);
