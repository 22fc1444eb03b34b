-- The parse tree of an ad hoc query as JSON. DuckDB serializes SELECT statements only (any other
-- statement, and EXPLAIN, come back as {"error": true, ...}): `settle sql` runs a query only
-- when every one of its statements is a plain read.
-- Params: $query. Grain: one row.
SELECT json_serialize_sql($query::VARCHAR) AS tree;
