-- exact_duplicates: three rows copied identically (the segment stays complete).
INSERT INTO seg SELECT * FROM seg WHERE seq IN (SELECT seq FROM seg ORDER BY seq LIMIT 3);
